/**
 * Sections 3 and 4, in the real workbench (code-server + Chromium through test/harness/session.ts,
 * the extension installed from its VSIX):
 *  - Start-up: VS Code's own activation time for the extension (code loading + activate() call, as
 *    "Developer: Show Running Extensions" shows it), with no server configured; in full mode also
 *    after two window reloads. Plus the size of dist/extension.js and of the VSIX.
 *  - Approval UI latency: a bench server (defined afterwards in the workspace's .vscode/mcp.json)
 *    records Date.now() when it sends `sampling/createMessage` and when the result arrives; inside
 *    the panel's webview frame a MutationObserver records Date.now() when the request's card with
 *    its Approve button enters the DOM (and at the next animation frame), and a capturing click
 *    listener records the click on Approve. Settings: approval 'ask', no review, vscode-lm with the
 *    helper's `test-echo` model (answers at once, in 1 ms chunks).
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { startSession, vsixPath, type Session } from '../test/harness/session';
import { benchServerPath, repoRoot } from './rigs';
import { parseArgs, roundSummary, sleep, summarize, withTimeout } from './stats';
import { runMain, writeResult } from './output';

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}
interface Timed {
  sentAt: number;
  resolvedAt: number;
}

const EXTENSION_ROW = /mcp-sampling-client|MCP Sampling Client/i;

/** Installed once in the panel's frame; records times by request id. Plain JS: it runs in the webview. */
const INSTRUMENT = `(() => {
  if (window.__bench) return true;
  const b = { shown: {}, painted: {}, clicked: {} };
  window.__bench = b;
  const scan = () => {
    for (const el of document.querySelectorAll('[data-request-id]')) {
      const id = el.getAttribute('data-request-id');
      if (id && b.shown[id] === undefined && el.querySelector('[data-action="approve"]')) {
        b.shown[id] = Date.now();
        requestAnimationFrame(() => { b.painted[id] = Date.now(); });
      }
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  scan();
  document.addEventListener('click', (e) => {
    const t = e.target;
    const action = t && t.closest ? t.closest('[data-action]') : null;
    const card = t && t.closest ? t.closest('[data-request-id]') : null;
    if (action && card && action.getAttribute('data-action') === 'approve') {
      const id = card.getAttribute('data-request-id');
      if (b.clicked[id] === undefined) b.clicked[id] = Date.now();
    }
  }, true);
  return true;
})()`;

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Reads VS Code's activation time for the extension from the Running Extensions editor. */
async function readActivationMs(session: Session): Promise<{ ms: number; text: string }> {
  await session.runFromPalette('Developer: Show Running Extensions');
  const row = session.page.locator('.runtime-extensions-editor .extension').filter({ hasText: EXTENSION_ROW }).first();
  const result = await waitUntil('the extension activation time', 60_000, async () => {
    const text = (await row.locator('.activation-time').innerText({ timeout: 1000 })).trim();
    const match = /Activation:\s*(\d+)\s*ms/i.exec(text);
    return match ? { ms: Number(match[1]), text } : undefined;
  });
  await session.page.keyboard.press('Escape');
  return result;
}

function toolText(result: ToolResult): string {
  return result.content.map((c) => c.text ?? '').join('');
}

async function main(): Promise<void> {
  const args = parseArgs();
  const iterations = args.quick ? 6 : 20;
  const warmup = 2;
  const reloads = args.quick ? 0 : 2;
  const distFile = path.join(repoRoot, 'dist', 'extension.js');
  const vsix = vsixPath();
  const sizes = { distExtensionJsBytes: existsSync(distFile) ? statSync(distFile).size : null, vsixBytes: existsSync(vsix) ? statSync(vsix).size : null, vsixFile: path.basename(vsix) };

  const session = await startSession({
    settings: {
      'mcpSampling.approval': 'ask',
      'mcpSampling.reviewResponses': false,
      'mcpSampling.defaultProvider': 'vscode-lm',
      'mcpSampling.limits.requestsPerMinute': 10_000,
    },
  });
  live = session;
  let completed = false;
  try {
    const activation: { ms: number; text: string; when: string }[] = [];
    activation.push({ ...(await readActivationMs(session)), when: 'first start, no server configured' });

    // Now define the server, in the workspace's mcp.json (the extension watches it).
    const mcpJson = path.join(session.workspace, '.vscode', 'mcp.json');
    mkdirSync(path.dirname(mcpJson), { recursive: true });
    writeFileSync(mcpJson, JSON.stringify({ servers: { bench: { type: 'stdio', command: 'node', args: [benchServerPath, '--name', 'bench'] } } }, null, 2));
    await waitUntil('the bench server to connect', 60_000, async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'bench' && s.status === 'connected') ? true : undefined;
    });

    const call = (i: number) => {
      const result = session.command<ToolResult>('mcpSampling.callTool', 'bench', 'sample_timed', { prompt: `approval latency ${i}` });
      result.catch(() => undefined);
      return result;
    };
    const finish = async (result: Promise<ToolResult>): Promise<Timed> => {
      const final = await withTimeout('the tool result', 60_000, result);
      if (final.isError) throw new Error(`sample_timed failed: ${toolText(final)}`);
      return JSON.parse(toolText(final)) as Timed;
    };

    // The first request opens the panel; it is found by polling (200 ms steps), so it is reported apart.
    const firstResult = call(0);
    const firstPending = await waitUntil('the first request to be pending', 30_000, async () => {
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      return pending.find((r) => r.serverName === 'bench')?.id;
    });
    const frame: Frame = await session.findInFrames(`[data-request-id="${firstPending}"] [data-action="approve"]`, 30_000);
    const firstSeenAt = Date.now();
    await frame.evaluate(INSTRUMENT);
    await frame.locator(`[data-request-id="${firstPending}"] [data-action="approve"]`).click();
    const first = await finish(firstResult);
    const firstShowUpperBoundMs = firstSeenAt - first.sentAt;

    const show: number[] = [];
    const painted: number[] = [];
    const approve: number[] = [];
    for (let i = 1; i <= warmup + iterations; i++) {
      const before = (await frame.evaluate('Object.keys(window.__bench.shown)')) as string[];
      const result = call(i);
      const handle = await frame.waitForFunction(
        (known: string[]) => Object.keys((globalThis as unknown as { __bench: { shown: Record<string, number> } }).__bench.shown).find((k) => !known.includes(k)),
        before,
        { timeout: 30_000, polling: 20 },
      );
      const id = (await handle.jsonValue()) as string;
      await frame.locator(`[data-request-id="${id}"] [data-action="approve"]`).click({ timeout: 10_000 });
      const timed = await finish(result);
      const marks = (await frame.evaluate(`(() => { const b = window.__bench; return { shown: b.shown[${JSON.stringify(id)}], painted: b.painted[${JSON.stringify(id)}], clicked: b.clicked[${JSON.stringify(id)}] }; })()`)) as {
        shown?: number;
        painted?: number;
        clicked?: number;
      };
      if (marks.shown === undefined || marks.clicked === undefined) throw new Error(`missing marks for ${id}: ${JSON.stringify(marks)}`);
      if (i <= warmup) continue;
      show.push(marks.shown - timed.sentAt);
      if (marks.painted !== undefined) painted.push(marks.painted - timed.sentAt);
      approve.push(timed.resolvedAt - marks.clicked);
    }

    // Start-up again after reloads, with the server definition removed.
    rmSync(mcpJson, { force: true });
    await sleep(1000);
    for (let i = 0; i < reloads; i++) {
      await session.page.reload();
      await session.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      activation.push({ ...(await readActivationMs(session)), when: `after window reload ${i + 1}, no server configured` });
    }

    writeResult(args.out, {
      section: 'workbench',
      measuredOn:
        'show: server Date.now() at sending -> webview Date.now() when the card with its Approve button is in the DOM (MutationObserver); painted: the next animation frame; approve: click event on Approve (capturing listener) -> server Date.now() when the result arrived',
      iterations,
      warmup,
      firstRequestShowUpperBoundMs: firstShowUpperBoundMs,
      showMs: roundSummary(summarize(show), 1),
      paintedMs: roundSummary(summarize(painted), 1),
      approveMs: roundSummary(summarize(approve), 1),
      activation,
      activationMs: roundSummary(summarize(activation.map((a) => a.ms)), 1),
      sizes,
    });
    // The profile (user data, logs) is only worth keeping when something failed.
    completed = true;
  } finally {
    live = undefined;
    await session.stop();
    if (completed) rmSync(session.root, { recursive: true, force: true });
  }
}

/** The running session, so a timeout or a signal still stops code-server and the browser. */
let live: Session | undefined;
const stopLive = async () => {
  const session = live;
  live = undefined;
  await session?.stop().catch(() => undefined);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopLive().then(() => process.exit(130)));

runMain(() => withTimeout('the workbench section', 10 * 60_000, main()).catch(async (error: unknown) => {
  await stopLive();
  throw error;
}));
