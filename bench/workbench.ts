/**
 * Sections 3 and 4, in the real workbench (code-server + Chromium through test/harness/session.ts,
 * the extension installed from its VSIX):
 *  - Start-up: VS Code's own activation time for the extension (code loading + activate() call, as
 *    "Developer: Show Running Extensions" shows it), with no server configured; in full mode also
 *    after two window reloads. Plus the size of dist/extension.js and of the VSIX.
 *    VS Code's own breakdown (Developer: Startup Performance), the order in which the extension
 *    host started activating extensions (its log) and the extension's log line with the
 *    composition time after activate() yielded are read beside it. In full mode the same start-up
 *    readings again in a second session (after the first has stopped) with the start-up crowd
 *    removed: no other extension activating on onStartupFinished beside ours (see crowdRemoved).
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
import { runWorkbenchSessions, toolText, waitForConnected, waitUntil, writeConsentedMcpJson, type ToolResult } from './workbenchSession';

interface Timed {
  sentAt: number;
  resolvedAt: number;
}

/**
 * Our row in Running Extensions, by its name exactly: the test helper's name ("MCP Sampling Client —
 * test helper …") contains ours, and the editor lists the slowest activation first.
 */
const EXTENSION_NAME = /^MCP Sampling Client$/;
const EXTENSION_ID = 'mcp-sampling.mcp-sampling-client';

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

/** Every log file named `name` in this session's profile (one per extension host start), oldest first. */
function logFiles(session: Session, name: string, dir = path.join(session.root, 'user-data', 'logs')): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? logFiles(session, name, full) : entry.name === name ? [full] : [];
    })
    .sort();
}

interface ActivationStart {
  extension: string;
  event: string;
  /** When the extension host started activating it, relative to when it started activating ours (ms, from its log's timestamps). */
  relativeToOursMs: number;
}

/**
 * The order in which the extension host started activating extensions, from its own log (one
 * "ExtensionService#_doActivateExtension <id>, startup: …, activationEvent: '<event>'" line each,
 * written just before it starts loading the extension's code): from the newest extension host
 * log, so read it before a reload.
 */
function readActivationStarts(session: Session): ActivationStart[] {
  const file = logFiles(session, 'remoteexthost.log').at(-1);
  const lines = file ? readFileSync(file, 'utf8').split('\n') : [];
  const starts = lines.flatMap((line) => {
    const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[info\] ExtensionService#_doActivateExtension (\S+), startup: \w+, activationEvent: '([^']*)'/.exec(line);
    return match ? [{ extension: match[2]!, event: match[3]!, at: Date.parse(`${match[1]!.replace(' ', 'T')}Z`) }] : [];
  });
  const ours = starts.find((x) => x.extension === EXTENSION_ID)?.at ?? Number.NaN;
  return starts.map(({ extension, event, at }) => ({ extension, event, relativeToOursMs: at - ours }));
}

/**
 * The extension's own reading of the start-up work VS Code's number leaves out: activate() yields
 * once, then loads dist/lazy-main.js and composes; its log line says how long that took. The
 * newest such line (after the start `after` of them were already read).
 */
async function readCompositionMs(session: Session, after: number): Promise<{ compositionMs: number; ownActivationMs?: number }> {
  return waitUntil('the extension log line with its composition time', 30_000, async () => {
    const lines = logFiles(session, 'MCP Sampling.log')
      .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
      .filter((line) => /loaded and composed in/.test(line))
      .sort();
    const line = lines.length > after ? lines[lines.length - 1] : undefined;
    const match = line ? /loaded and composed in ([\d.]+) ms(?:; ([\d.]+) ms in activate\(\) before it yielded)?/.exec(line) : null;
    return match ? { compositionMs: Number(match[1]), ...(match[2] !== undefined ? { ownActivationMs: Number(match[2]) } : {}) } : undefined;
  });
}

type StartupReading = Awaited<ReturnType<typeof readActivationMs>> & { when: string; compositionMs: number; ownActivationMs?: number };

/** VS Code's activation time and the extension's log line for the start just made (`before` = log lines of earlier starts). */
async function readStartup(session: Session, when: string, before: number): Promise<StartupReading> {
  return { ...(await readActivationMs(session)), when, ...(await readCompositionMs(session, before)) };
}

/** The first start: VS Code's number and breakdown, which extensions the extension host activated in what order, and our log line. */
async function readFirstStart(session: Session, when: string) {
  const activation = await readStartup(session, when, 0);
  const activationStats = await readActivationStats(session).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  return { activation, activationStats, activationStarts: readActivationStarts(session) };
}

/** Start-up again after `count` window reloads (`before` = log lines of the starts already read). */
async function readAfterReloads(session: Session, count: number, before: number): Promise<StartupReading[]> {
  const readings: StartupReading[] = [];
  for (let i = 0; i < count; i++) {
    await session.page.reload();
    await session.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    readings.push(await readStartup(session, `after window reload ${i + 1}, no server configured`, before + i));
  }
  return readings;
}

const settings = {
  'mcpSampling.approval': 'ask',
  'mcpSampling.reviewResponses': false,
  'mcpSampling.defaultProvider': 'vscode-lm',
  'mcpSampling.limits.requestsPerMinute': 10_000,
};

/**
 * The start-up crowd removed: the other extensions that activate on onStartupFinished beside ours
 * in this harness (Startup Performance's table of the normal start: the built-ins merge-conflict and
 * debug-auto-launch, and the test helper) do not share our activation. The built-ins are left out of
 * the session; the helper, which every session needs, activates on `*` (with the eager extensions,
 * which the extension host activates before it starts the onStartupFinished ones).
 */
const crowdRemoved = {
  skipBuiltinExtensions: ['vscode.merge-conflict', 'vscode.debug-auto-launch'],
  helperActivationEvents: ['*'],
} as const;

runWorkbenchSessions('workbench', 10 * 60_000, async (args, withSession) => {
  const normal = await withSession({ settings }, (session) => approvalAndStartup(session, args));
  // A second, short session (its own code-server), after the first one has stopped; full mode only
  // (about 30 s, nearly as much as the whole section takes in quick mode).
  const startedAt = Date.now();
  const withoutCrowd = args.quick
    ? undefined
    : await withSession({ settings, ...crowdRemoved }, async (session) => {
        const first = await readFirstStart(session, 'first start, start-up crowd removed, no server configured');
        return { setup: crowdRemoved, ...first, afterReloads: await readAfterReloads(session, 1, 1), sessionSeconds: Math.round((Date.now() - startedAt) / 1000) };
      });
  return { ...normal, ...(withoutCrowd ? { crowdRemoved: withoutCrowd } : {}) };
});

async function approvalAndStartup(session: Session, args: { quick: boolean }) {
  const iterations = args.quick ? 6 : 20;
  const warmup = 2;
  const reloads = args.quick ? 0 : 2;
  const distFile = path.join(repoRoot, 'dist', 'extension.js');
  const vsix = vsixPath();
  const sizes = { distExtensionJsBytes: existsSync(distFile) ? statSync(distFile).size : null, vsixBytes: existsSync(vsix) ? statSync(vsix).size : null, vsixFile: path.basename(vsix) };

  // What VS Code's number is made of, for us and every other extension that activated beside us.
  const { activation: firstStart, activationStats, activationStarts } = await readFirstStart(session, 'first start, no server configured');

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
  const activation = [firstStart, ...(await readAfterReloads(session, reloads, 1))];

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
    activationStarts,
    sizes,
  };
}
