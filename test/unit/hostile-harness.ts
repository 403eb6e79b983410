/**
 * Shared pieces of the hostile-server tests: the real sampling pipeline behind real ServerConnections
 * to the hostile fixture (stdio or Streamable HTTP), a programmatic prompter, a recording logger, and
 * a guard that fails the file on any unhandled promise rejection.
 */
import { waitFor as waitUntil } from '../support/waitFor';
import { EchoProvider } from '../support/echoProvider';
import { FakePrompter } from '../support/fakePrompter';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import type { HistorySink } from '../../src/core/history/history';
import type { Logger } from '../../src/core/logger';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { ServerConnectionOptions } from '../../src/core/mcp/types';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline, type SamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type { ModelProvider } from '../../src/core/sampling/types';
import { repoRoot } from '../fixtures/fixtureServers';

/** Fails the test file if any promise rejection goes unhandled while it runs. */
export function guardUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  process.on('unhandledRejection', (reason) => unhandled.push(reason));
  after(() => assert.deepEqual(unhandled.map(String), [], 'no unhandled promise rejections'));
}

export function hostileServerPath(): string {
  return path.join(repoRoot(), 'out', 'test', 'fixtures', 'hostileServer.js');
}

export function hostileDefinition(name: string, args: string[] = [], env: Record<string, string | null> = {}): ServerDefinition {
  return { name, source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [hostileServerPath(), '--name', name, ...args], env };
}

/** Starts the hostile server in HTTP mode; resolves with its URL and the process (kill it when done). */
export async function startHostileHttp(args: string[] = []): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [hostileServerPath(), '--http', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the hostile HTTP server did not print its port')), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the hostile HTTP server exited (${code})`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { url, child, stop };
}

export interface LogLine {
  readonly level: string;
  readonly text: string;
}

/** A Logger that keeps every line (with its arguments serialized), or only counts bytes when `keep` is false. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  bytes = 0;
  constructor(private readonly keep = true) {}
  private put(level: string, message: string | Error, args: unknown[]): void {
    const text = [message instanceof Error ? `${message.name}: ${message.message}` : message, ...args.map((a) => (typeof a === 'string' ? a : safeJson(a)))].join(' ');
    this.bytes += text.length;
    if (this.keep) this.lines.push({ level, text });
  }
  trace(m: string, ...a: unknown[]) {
    this.put('trace', m, a);
  }
  debug(m: string, ...a: unknown[]) {
    this.put('debug', m, a);
  }
  info(m: string, ...a: unknown[]) {
    this.put('info', m, a);
  }
  warn(m: string, ...a: unknown[]) {
    this.put('warn', m, a);
  }
  error(m: string | Error, ...a: unknown[]) {
    this.put('error', m, a);
  }
  all(): string {
    return this.lines.map((l) => `${l.level} ${l.text}`).join('\n');
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Echoes the last user text, each answer cut to 200 characters (a hostile prompt can be megabytes). */
export const hostileEcho = () => new EchoProvider({ answer: (said) => `echo: ${said.slice(0, 200)}` });

export interface PipelineSetup {
  readonly settings?: Partial<SamplingSettings>;
  readonly prompter?: FakePrompter;
  readonly providers?: ModelProvider[];
  readonly logger?: Logger;
  readonly history?: HistorySink;
  readonly secrets?: () => readonly string[];
}

export interface HostileWorld {
  readonly pipeline: SamplingPipeline;
  readonly prompter: FakePrompter;
  readonly policy: SamplingPolicy;
  readonly settings: SamplingSettings;
  readonly logger: Logger;
  /** Connects one more server to the same pipeline (as the extension does: one pipeline for all servers). */
  connect(definition: ServerDefinition, extra?: Partial<ServerConnectionOptions>): Promise<ServerConnection>;
  close(): Promise<void>;
}

export function hostileWorld(setup: PipelineSetup = {}): HostileWorld {
  const prompter = setup.prompter ?? new FakePrompter();
  const registry = new ProviderRegistry();
  const providers = setup.providers ?? [hostileEcho()];
  for (const p of providers) registry.register(p);
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: providers[0]?.id ?? 'manual', reviewResponses: false, ...setup.settings };
  const policy = new SamplingPolicy();
  const logger = setup.logger ?? new RecordingLogger();
  const pipeline = createSamplingPipeline({
    config: { get: () => settings },
    providers: registry,
    prompter,
    policy,
    logger,
    progressIntervalMs: 200,
    ...(setup.history ? { history: setup.history } : {}),
    ...(setup.secrets ? { secrets: setup.secrets } : {}),
  });
  let counter = 0;
  const handler = createSamplingHandler(pipeline, { serverSource: () => 'test', newRequestId: () => `req-${++counter}` });
  const connections: ServerConnection[] = [];
  return {
    pipeline,
    prompter,
    policy,
    settings,
    logger,
    async connect(definition, extra = {}) {
      const conn = new ServerConnection({ definition, logger, samplingHandler: handler, samplingTools: true, killGraceMs: 500, initializeTimeoutMs: 10_000, ...extra });
      connections.push(conn);
      await conn.connect();
      return conn;
    },
    async close() {
      prompter.releaseHeld();
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}

export interface Outcome {
  readonly ok: boolean;
  readonly result?: { content?: unknown; model?: string };
  readonly error?: { readonly code: number | string; readonly message: string };
}

/** Calls a hostile tool and parses its JSON answer (the server's own view of what happened). */
export async function callHostile<T = Outcome>(conn: ServerConnection, tool: string, args: Record<string, unknown> = {}): Promise<T> {
  const result: CallToolResult = await conn.callTool(tool, args, { timeoutMs: 60_000 });
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`the hostile server answered ${tool} with non-JSON: ${text.slice(0, 300)}`);
  }
}

/** The hostile tests' argument order for test/support/waitFor (the one implementation). */
export function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return waitUntil(what, probe, { timeoutMs });
}
