/**
 * What the two workbench sections (workbench.ts, peer.ts) share: real VS Code sessions that are
 * always stopped (on success, failure, the section's time limit or a signal from run.mjs), each
 * profile removed only when its part of the section completed, and the helpers both use to drive them.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseMcpJson } from '../src/core/config/mcpJson';
import { consentKey } from '../src/core/config/workspaceConsent';
import { startSession, type Session, type SessionOptions } from '../test/harness/session';
import { waitFor } from '../test/support/waitFor';
import { parseArgs, withTimeout } from './stats';
import { runMain, writeResult } from './output';

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

export const toolText = (result: ToolResult): string => result.content.map((c) => c.text ?? '').join('\n');

/** Polls `probe` every 100 ms until it returns a value (a probe that throws counts as not yet). */
export const waitUntil = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => waitFor(what, () => probe().catch(() => undefined), { timeoutMs, intervalMs: 100 });

const EXTENSION_ID = 'mcp-sampling.mcp-sampling-client';

/**
 * Writes `.vscode/mcp.json` with the user's consent to start its servers already recorded, as the
 * extension records it when the user answers its modal "Allow and Start" (the integration tests do
 * the same in test/integration/support.ts). The consent record is written first, so the extension,
 * which watches the file, finds it on its first read.
 */
export function writeConsentedMcpJson(session: Session, servers: Record<string, unknown>): string {
  const file = path.join(session.workspace, '.vscode', 'mcp.json');
  const text = JSON.stringify({ servers }, null, 2);
  const storage = path.join(session.root, 'user-data', 'User', 'globalStorage', EXTENSION_ID);
  const consentFile = path.join(storage, 'workspace-server-consent.json');
  let records: Record<string, unknown> = {};
  try {
    records = JSON.parse(readFileSync(consentFile, 'utf8')) as Record<string, unknown>;
  } catch {}
  for (const definition of parseMcpJson(text, file).definitions) records[consentKey(definition)] = { serverName: definition.name, source: definition.source, at: Date.now() };
  mkdirSync(storage, { recursive: true });
  writeFileSync(consentFile, JSON.stringify(records));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export async function waitForConnected(session: Session, server: string, timeoutMs = 60_000): Promise<void> {
  await waitUntil(`${server} connected to the extension`, timeoutMs, async () => {
    const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
    return servers.some((s) => s.name === server && s.status === 'connected') ? true : undefined;
  });
}

/** Starts a session with `options`, runs `use` on it and stops it whatever happens (its profile removed only when `use` completed). */
export type WithSession = <T>(options: SessionOptions, use: (session: Session) => Promise<T>) => Promise<T>;

/**
 * Runs one workbench section as its process's main: `body` opens its sessions one after another
 * through `withSession`, within `limitMs`; what it returns is written as the section's result.
 * Every session is stopped whatever happens (success, failure, the time limit, a signal from run.mjs);
 * a session's profile (user data, logs) is kept only when something failed with it.
 */
export function runWorkbenchSessions(name: string, limitMs: number, body: (args: ReturnType<typeof parseArgs>, withSession: WithSession) => Promise<unknown>): void {
  const args = parseArgs();
  const live = new Set<Session>();
  const stop = async (session: Session) => {
    live.delete(session);
    await session.stop().catch(() => undefined);
  };
  const stopAll = () => Promise.all([...live].map(stop));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().then(() => process.exit(130)));
  const withSession: WithSession = async (options, use) => {
    const session = await startSession(options);
    live.add(session);
    let completed = false;
    try {
      const result = await use(session);
      completed = true;
      return result;
    } finally {
      await stop(session);
      if (completed) rmSync(session.root, { recursive: true, force: true });
    }
  };
  runMain(() =>
    withTimeout(`the ${name} section`, limitMs, body(args, withSession)).then(
      (result) => writeResult(args.out, result),
      async (error: unknown) => {
        await stopAll();
        throw error;
      },
    ),
  );
}

/** One workbench section in one session started with `options` (see runWorkbenchSessions). */
export function runWorkbenchSection(name: string, limitMs: number, options: SessionOptions, body: (session: Session, args: ReturnType<typeof parseArgs>) => Promise<unknown>): void {
  runWorkbenchSessions(name, limitMs, (args, withSession) => withSession(options, (session) => body(session, args)));
}
