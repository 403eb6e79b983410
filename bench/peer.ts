/**
 * A peer measured beside us, in one real workbench (code-server + Chromium, the extension from its
 * VSIX, the test helper's deterministic `test-echo` model): server-everything's
 * `trigger-sampling-request` tool, called and its sampling request answered
 *  - by VS Code's own MCP client: the server in the workspace's .vscode/mcp.json, started with
 *    `workbench.mcp.startServer`, the tool called through `vscode.lm.invokeTool` (as an agent does),
 *    the sampling answered by VS Code's sampling service with the editor's model. Its dialogs (the
 *    one-time tool opt-in, the sampling consent) are answered by the browser once, during warm-up;
 *  - by this extension with approval `auto`: the same server in `mcpSampling.servers`, the tool
 *    called with `mcpSampling.callTool`, the sampling answered by the pipeline with vscode.lm;
 *  - by this extension with approval `ask`: the same, the browser clicking Approve on the card as
 *    soon as it is in the panel.
 * Each is timed by the caller (the bench process, through the helper's command bridge), from the
 * call to its result: a tool call with one sampling round trip inside, bridge included for all three.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import type { Session, SessionOptions } from '../test/harness/session';
import { repoRoot } from './rigs';
import { roundSummary, sleep, summarize } from './stats';
import { runWorkbenchSection, toolText, waitForConnected, waitUntil, type ToolResult } from './workbenchSession';

type Part = { text?: string; kind?: string };

function everythingServerPath(): string {
  const dir = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!;
  return path.join(dir, bin);
}

/** Clicks the allowing button of any VS Code modal dialog showing now; returns what it said. */
async function answerDialogs(session: Session): Promise<string | undefined> {
  const dialog = session.page.locator('.monaco-dialog-box');
  if ((await dialog.count()) === 0) return undefined;
  const text = (await dialog.first().innerText()).replace(/\s+/g, ' ').slice(0, 300);
  const allow = dialog.first().locator('.monaco-button', { hasText: /^(Allow in this Session|Allow|Enable|Yes|Continue|Run)$/ }).first();
  if ((await allow.count()) === 0) throw new Error(`VS Code asked something this benchmark cannot answer: ${text}`);
  await allow.click();
  return text;
}

/** How often a running call looks for a dialog to answer or a card to approve. */
const DIALOG_WATCH_MS = 25;

const everything = everythingServerPath();
const options: SessionOptions = {
  settings: {
    // VS Code's MCP client and language-model tools are AI features.
    'chat.disableAIFeatures': false,
    // The server may sample, in a tool call or outside a chat (keyed "<collection>: <server>").
    'chat.mcp.serverSampling': { 'Workspace: everything-vscode': { allowedDuringChat: true, allowedOutsideChat: true } },
    // invokeTool of a tool without readOnlyHint asks "Run …?" on every call; this makes it one
    // opt-in dialog (answered once below). VS Code then also grants sampling for the session.
    'chat.tools.global.autoApprove': true,
    'mcpSampling.approval': 'auto',
    'mcpSampling.reviewResponses': false,
    'mcpSampling.defaultProvider': 'vscode-lm',
    'mcpSampling.limits.requestsPerMinute': 10_000,
    'mcpSampling.servers': { everything: { type: 'stdio', command: 'node', args: [everything, 'stdio'] } },
    // The workspace's mcp.json is VS Code's here; the extension's own copy of the server comes from its settings.
    'mcpSampling.readMcpJson': false,
  },
  workspaceFiles: { '.vscode/mcp.json': JSON.stringify({ servers: { 'everything-vscode': { type: 'stdio', command: 'node', args: [everything, 'stdio'] } } }, null, 2) },
};

runWorkbenchSection('peer', 6 * 60_000, options, async (session, args) => {
  const iterations = args.quick ? 4 : 12;
  const warmup = 2;
  const dialogs: string[] = [];
  await waitForConnected(session, 'everything');
  // VS Code's own tool for the mcp.json server (the gateway's names hold "__").
  let seen: string[] = [];
  const vscodeTool = await waitUntil('VS Code’s own everything tools in vscode.lm.tools', 90_000, async () => {
    const asked = await answerDialogs(session);
    if (asked) dialogs.push(asked);
    const names = await session.command<string[]>('mcpSamplingTest.startMcpServers', 10_000);
    seen = names;
    return names.find((n) => /trigger.sampling.request$/.test(n) && !n.includes('__'));
  }).catch((error: unknown) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; vscode.lm.tools held: ${seen.join(', ') || 'nothing'}; dialogs: ${dialogs.join(' | ') || 'none'}`);
  });

  const prompt = (i: number) => ({ prompt: `peer benchmark ${i}`, maxTokens: 32 });
  /** Runs one call while answering any dialog that shows (there should be none after warm-up). */
  const timed = async (run: () => Promise<string>, onWait?: () => Promise<void>): Promise<{ ms: number; text: string; dialogs: number }> => {
    const start = performance.now();
    const result = run();
    result.catch(() => undefined);
    let answered = 0;
    for (;;) {
      const done = await Promise.race([result.then(() => true, () => true), sleep(DIALOG_WATCH_MS).then(() => false)]);
      if (done) break;
      const asked = await answerDialogs(session);
      if (asked) {
        dialogs.push(asked);
        answered++;
      }
      await onWait?.();
    }
    const text = await result;
    return { ms: performance.now() - start, text, dialogs: answered };
  };
  const viaVsCode = (i: number) => session.command<Part[]>('mcpSamplingTest.invokeTool', vscodeTool, prompt(i)).then((parts) => parts.map((p) => p.text ?? '').join('\n'));
  const viaExtension = (i: number) =>
    session.command<ToolResult>('mcpSampling.callTool', 'everything', 'trigger-sampling-request', prompt(i)).then((r) => {
      const text = toolText(r);
      if (r.isError) throw new Error(`the extension's call failed: ${text}`);
      return text;
    });

  const results = { vscode: [] as number[], extensionAuto: [] as number[], extensionApproveClick: [] as number[] };
  const interrupted = { vscode: 0, extensionAuto: 0, extensionApproveClick: 0 };
  const check = (text: string, what: string) => {
    if (!/test-echo|echo/i.test(text)) throw new Error(`${what}: the answer does not come from the helper's model: ${text.slice(0, 300)}`);
  };

  // The extension (auto), then VS Code's own client, alternating call by call. The extension goes
  // first: its vscode.lm.selectChatModels makes the workbench resolve the helper's models, which
  // VS Code's sampling service only looks up (with none known it would ask to configure models).
  for (let i = 0; i < warmup + iterations; i++) {
    const b = await timed(() => viaExtension(i));
    check(b.text, 'the extension');
    const a = await timed(() => viaVsCode(i));
    check(a.text, 'VS Code');
    if (i < warmup) continue;
    results.vscode.push(a.ms);
    results.extensionAuto.push(b.ms);
    if (a.dialogs) interrupted.vscode++;
    if (b.dialogs) interrupted.extensionAuto++;
  }

  // The extension with one Approve click: the browser clicks as soon as the card is in the panel.
  // Per server: the global approval is also in the profile's Machine settings, which a remote window reads over the user's.
  await session.command('mcpSamplingTest.updateSetting', 'mcpSampling.serverSampling', { everything: { approval: 'ask' } });
  let frame: Frame | undefined;
  for (let i = 0; i < warmup + iterations; i++) {
    const before = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    let clicked = false;
    const clickWhenShown = async () => {
      if (clicked) return;
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      const id = pending.find((r) => r.serverName === 'everything' && !before.has(r.id))?.id;
      if (!id) return;
      frame ??= await session.findInFrames(`[data-request-id="${id}"] [data-action="approve"]`, 30_000);
      await frame.locator(`[data-request-id="${id}"] [data-action="approve"]`).click({ timeout: 10_000 });
      clicked = true;
    };
    const c = await timed(() => viaExtension(1000 + i), clickWhenShown);
    check(c.text, 'the extension (ask)');
    if (!clicked) throw new Error('the extension answered without asking: approval ask did not apply');
    if (i < warmup) continue;
    results.extensionApproveClick.push(c.ms);
    if (c.dialogs) interrupted.extensionApproveClick++;
  }

  return {
    section: 'peer',
    measuredOn:
      "caller side, through the helper's command bridge: one call of server-everything's trigger-sampling-request (one sampling round trip inside) to its result; VS Code's route by vscode.lm.invokeTool, the extension's by mcpSampling.callTool",
    iterations,
    warmup,
    vscodeTool,
    dialogsAnswered: dialogs,
    interruptedByDialog: interrupted,
    vscodeMs: roundSummary(summarize(results.vscode), 1),
    extensionAutoMs: roundSummary(summarize(results.extensionAuto), 1),
    extensionApproveClickMs: roundSummary(summarize(results.extensionApproveClick), 1),
  };
});
