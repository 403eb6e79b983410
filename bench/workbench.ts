/**
 * Sections 3 and 4, in the real workbench (code-server + Chromium through test/harness/session.ts,
 * the extension installed from its VSIX):
 *  - Start-up: VS Code's own activation time for the extension (code loading + activate() call, as
 *    "Developer: Show Running Extensions" shows it), with no server configured; in full mode also
 *    after two window reloads. Plus the size of dist/extension.js and of the VSIX.
 *    VS Code's own breakdown (Developer: Startup Performance) and the extension's log line with the
 *    composition time after activate() yielded are read beside it.
 *  - Approval UI latency: a bench server (defined afterwards in the workspace's .vscode/mcp.json,
 *    with the user's workspace-server consent recorded first, as the modal would) records Date.now() when it sends `sampling/createMessage` and when the result arrives; inside
 *    the panel's webview frame a MutationObserver records Date.now() when the request's card with
 *    its Approve button enters the DOM (and at the next animation frame), and a capturing click
 *    listener records the click on Approve. Settings: approval 'ask', no review, vscode-lm with the
 *    helper's `test-echo` model (answers at once, in 1 ms chunks).
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { vsixPath, type Session } from '../test/harness/session';
import { benchServerPath, repoRoot } from './rigs';
import { roundSummary, sleep, summarize, withTimeout } from './stats';
import { runWorkbenchSection, toolText, waitForConnected, waitUntil, writeConsentedMcpJson, type ToolResult } from './workbenchSession';

interface Timed {
  sentAt: number;
  resolvedAt: number;
}

/**
 * Our row in Running Extensions, by its name exactly: the test helper's name ("MCP Sampling Client —
 * test helper …") contains ours, and the editor lists the slowest activation first.
 */
const EXTENSION_NAME = /^MCP Sampling Client$/;

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

/** Reads VS Code's activation time for the extension from the Running Extensions editor. */
async function readActivationMs(session: Session): Promise<{ ms: number; text: string }> {
  await session.runFromPalette('Developer: Show Running Extensions');
  const row = session.page.locator('.runtime-extensions-editor .extension').filter({ has: session.page.locator('.name', { hasText: EXTENSION_NAME }) });
  let misses = 0;
  const result = await waitUntil('the extension activation time', 60_000, async () => {
    if ((await row.count()) === 0) {
      // The list renders only the rows in view, slowest first, so a quick activation can be below
      // them: scroll down a few rows at a time (back to the top now and then, in case it re-sorted).
      await session.page.locator('.runtime-extensions-editor .monaco-list').hover({ timeout: 1000 });
      await session.page.mouse.wheel(0, ++misses % 12 === 0 ? -100_000 : 280);
      return undefined;
    }
    const text = (await row.locator('.activation-time').innerText({ timeout: 1000 })).trim();
    const match = /Activation:\s*(\d+)\s*ms/i.exec(text);
    return match ? { ms: Number(match[1]), text } : undefined;
  });
  await session.page.keyboard.press('Escape');
  return result;
}

interface ActivationStat {
  extension: string;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
}

/**
 * VS Code's own breakdown ("Developer: Startup Performance", its Extension Activation Stats table:
 * load code, call activate, finish activate) for every extension that activated, copied out of the
 * editor with the keyboard and read through the clipboard.
 */
async function readActivationStats(session: Session): Promise<ActivationStat[]> {
  await session.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.page.url()).origin });
  await session.runFromPalette('Developer: Startup Performance');
  return waitUntil('the Extension Activation Stats of Developer: Startup Performance', 30_000, async () => {
    await session.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ timeout: 2000 });
    await session.page.keyboard.press('Control+A');
    await session.page.keyboard.press('Control+C');
    const text = await session.command<string>('mcpSamplingTest.readClipboard');
    const at = text.indexOf('Extension Activation Stats');
    if (at < 0) return undefined;
    const stats: ActivationStat[] = [];
    for (const line of text.slice(at).split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
      if (cells.length < 8 || !/\./.test(cells[1]!) || !/^\d+$/.test(cells[3]!)) continue;
      stats.push({ extension: cells[1]!, loadCodeMs: Number(cells[3]), callActivateMs: Number(cells[4]), finishActivateMs: Number(cells[5]), event: cells[6]! });
    }
    await session.command('workbench.action.closeActiveEditor');
    return stats.length ? stats : undefined;
  });
}

/** Every "MCP Sampling.log" the extension wrote in this session's profile (one per extension host start). */
function extensionLogs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? extensionLogs(full) : entry.name.endsWith('MCP Sampling.log') ? [full] : [];
  });
}

/**
 * The extension's own reading of the start-up work VS Code's number leaves out: activate() yields
 * once, then loads dist/lazy-main.js and composes; its log line says how long that took. The
 * newest such line (after the start `after` of them were already read).
 */
async function readCompositionMs(session: Session, after: number): Promise<{ compositionMs: number; ownActivationMs?: number }> {
  return waitUntil('the extension log line with its composition time', 30_000, async () => {
    const lines = extensionLogs(path.join(session.root, 'user-data', 'logs'))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
      .filter((line) => /loaded and composed in/.test(line))
      .sort();
    const line = lines.length > after ? lines[lines.length - 1] : undefined;
    const match = line ? /loaded and composed in ([\d.]+) ms(?:; ([\d.]+) ms in activate\(\) before it yielded)?/.exec(line) : null;
    return match ? { compositionMs: Number(match[1]), ...(match[2] !== undefined ? { ownActivationMs: Number(match[2]) } : {}) } : undefined;
  });
}

const settings = {
  'mcpSampling.approval': 'ask',
  'mcpSampling.reviewResponses': false,
  'mcpSampling.defaultProvider': 'vscode-lm',
  'mcpSampling.limits.requestsPerMinute': 10_000,
};

runWorkbenchSection('workbench', 10 * 60_000, { settings }, async (session, args) => {
  const iterations = args.quick ? 6 : 20;
  const warmup = 2;
  const reloads = args.quick ? 0 : 2;
  const distFile = path.join(repoRoot, 'dist', 'extension.js');
  const vsix = vsixPath();
  const sizes = { distExtensionJsBytes: existsSync(distFile) ? statSync(distFile).size : null, vsixBytes: existsSync(vsix) ? statSync(vsix).size : null, vsixFile: path.basename(vsix) };

  const activation: { ms: number; text: string; when: string; compositionMs: number; ownActivationMs?: number }[] = [];
  activation.push({ ...(await readActivationMs(session)), when: 'first start, no server configured', ...(await readCompositionMs(session, 0)) });
  // What VS Code's number is made of, for us and every other extension that activated beside us.
  const activationStats = await readActivationStats(session).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));

  // Now define the server, in the workspace's mcp.json (the extension watches it), with the
  // user's consent to start it already given (the modal is not what this section measures).
  const mcpJson = writeConsentedMcpJson(session, { bench: { type: 'stdio', command: 'node', args: [benchServerPath, '--name', 'bench'] } });
  await waitForConnected(session, 'bench');

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
    activation.push({ ...(await readActivationMs(session)), when: `after window reload ${i + 1}, no server configured`, ...(await readCompositionMs(session, i + 1)) });
  }

  return {
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
    compositionMs: roundSummary(summarize(activation.map((a) => a.compositionMs)), 1),
    activationStats,
    sizes,
  };
});
