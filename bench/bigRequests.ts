/**
 * Megabyte requests in the real workbench (issue 24 item 2), one session: for 100 KB, 2 MB and 10 MB
 * requests from the bench server's `sample_big` (defined in the workspace's mcp.json with consent
 * recorded, as in workbench.ts):
 *  - card shown: server Date.now() at sending -> the card with its Approve button in the panel's DOM
 *    (MutationObserver in the webview frame);
 *  - typing: per key, keydown (capturing listener, event.timeStamp) -> the first task after the next
 *    animation frame (the frame with the key's effect painted), 20 keys into the message's text area,
 *    one at a time, first with "Show changes" closed, then open; the request is then rejected;
 *  - exactness: an unedited request of the same size approved with one click; the helper's test model
 *    answers with the SHA-256 and length of the text it received, which the server compares with what
 *    it sent. Approve -> result time is recorded beside it.
 */
import type { Frame, Locator } from 'playwright-core';
import { benchServerPath } from './rigs';
import { roundSummary, summarize, withTimeout } from './stats';
import { runWorkbenchSection, toolText, waitForConnected, waitUntil, writeConsentedMcpJson, type ToolResult } from './workbenchSession';

interface BigResult {
  sentAt: number;
  resolvedAt: number;
  exact?: boolean;
  answer?: string;
  error?: string;
}

/** Installed once in the panel's frame: when each card with Approve appears, click times, per-key latencies. Plain JS. */
const INSTRUMENT = `(() => {
  if (window.__big) return true;
  const b = { shown: {}, clicked: {}, keys: [] };
  window.__big = b;
  const scan = () => {
    for (const el of document.querySelectorAll('[data-request-id]')) {
      const id = el.getAttribute('data-request-id');
      if (id && b.shown[id] === undefined && el.querySelector('[data-action="approve"]')) b.shown[id] = Date.now();
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  scan();
  document.addEventListener('click', (e) => {
    const card = e.target && e.target.closest ? e.target.closest('[data-request-id]') : null;
    const action = e.target && e.target.closest ? e.target.closest('[data-action]') : null;
    if (card && action && action.getAttribute('data-action') === 'approve') b.clicked[card.getAttribute('data-request-id')] = Date.now();
  }, true);
  document.addEventListener('keydown', (e) => {
    const start = e.timeStamp;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => b.keys.push(performance.now() - start);
      channel.port2.postMessage(0);
    });
  }, true);
  return true;
})()`;

const SIZES = [
  { label: '100 KB', bytes: 100_000 },
  { label: '2 MB', bytes: 2_000_000 },
  { label: '10 MB', bytes: 10_000_000 },
  // Minified JSON or base64: the editor draws only part of a long line, as it draws only some lines.
  { label: '2 MB in one line', bytes: 2_000_000, oneLine: true },
];

runWorkbenchSection('bigRequests', 900_000, { settings: { 'mcpSampling.approval': 'ask', 'mcpSampling.reviewResponses': false, 'mcpSampling.defaultProvider': 'vscode-lm' } }, async (session, args) => {
  writeConsentedMcpJson(session, { bench: { type: 'stdio', command: 'node', args: [benchServerPath, '--name', 'bench'] } });
  await waitForConnected(session, 'bench');
  const keys = args.quick ? 8 : 20;
  const sizes = args.quick ? SIZES.filter((s) => s.bytes <= 2_000_000) : SIZES;

  const call = (bytes: number, tag: string, oneLine = false) => {
    const result = session.command<ToolResult>('mcpSampling.callTool', 'bench', 'sample_big', { bytes, tag, oneLine });
    // Awaited later: a failure meanwhile must not end the process as an unhandled rejection.
    const parsed = result.then((r) => JSON.parse(toolText(r)) as BigResult);
    parsed.catch(() => undefined);
    return parsed;
  };

  // A small first request opens the panel; the frame is instrumented once it is there.
  const opening = call(1000, 'open');
  const firstId = await waitUntil('the first request', 60_000, async () => (await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests'))[0]?.id);
  const frame: Frame = await session.findInFrames(`[data-request-id="${firstId}"] [data-action="approve"]`, 60_000);
  await frame.evaluate(INSTRUMENT);
  await frame.locator(`[data-request-id="${firstId}"] [data-action="approve"]`).click();
  await withTimeout('the opening request', 60_000, opening);

  async function nextCard(before: string[]): Promise<{ id: string; card: Locator }> {
    const id = await waitUntil('the card to be shown', 300_000, async () => ((await frame.evaluate('Object.keys(window.__big.shown)')) as string[]).find((k) => !before.includes(k)));
    return { id, card: frame.locator(`[data-request-id="${id}"]`) };
  }
  const shownIds = async () => (await frame.evaluate('Object.keys(window.__big.shown)')) as string[];
  const mark = async (kind: 'shown' | 'clicked', id: string) => (await frame.evaluate(`window.__big.${kind}[${JSON.stringify(id)}]`)) as number;

  /** Presses `count` keys one at a time, each measured alone; returns their latencies. */
  async function typeKeys(area: Locator, count: number): Promise<number[]> {
    await area.focus();
    await frame.evaluate('window.__big.keys = []');
    for (let i = 0; i < count; i++) {
      await session.page.keyboard.press('x');
      await waitUntil('the key to be measured', 60_000, async () => (((await frame.evaluate('window.__big.keys.length')) as number) > i ? true : undefined));
    }
    return (await frame.evaluate('window.__big.keys')) as number[];
  }

  const rows = [];
  const progress = (what: string) => process.stderr.write(`[bigRequests] ${new Date().toISOString().slice(11, 19)} ${what}\n`);
  for (const size of sizes) {
    progress(`${size.label}: typing`);
    // Typing, with Show changes closed then open; then Reject.
    const typingResult = call(size.bytes, `typing ${size.label}`, size.oneLine);
    const typing = await nextCard(await shownIds());
    const area = typing.card.locator('[data-action="edit-message-0"]');
    const plain = await typeKeys(area, keys);
    await typing.card.locator('[data-action="toggle-diff"]').click();
    await typing.card.locator('[data-role="changes"] .diff-lines').waitFor({ timeout: 120_000 });
    progress(`${size.label}: typing with Show changes open`);
    const withChanges = await typeKeys(area, keys);
    progress(`${size.label}: rejecting`);
    await typing.card.locator('[data-action="reject"]').click();
    await typing.card.locator('[data-action="confirm-reject"]').click({ timeout: 60_000 });
    const typed = await withTimeout('the typing request', 300_000, typingResult);
    const shownMs = (await mark('shown', typing.id)) - typed.sentAt;

    // Exactness: an unedited request approved with one click.
    progress(`${size.label}: approving unedited`);
    const exactResult = call(size.bytes, `exact ${size.label}`, size.oneLine);
    const exact = await nextCard(await shownIds());
    await exact.card.locator('[data-action="approve"]').click({ timeout: 60_000 });
    const answered = await withTimeout('the approved request', 300_000, exactResult);
    rows.push({
      size: size.label,
      bytes: size.bytes,
      shownMs: [shownMs, (await mark('shown', exact.id)) - answered.sentAt],
      keyMs: roundSummary(summarize(plain), 1),
      keyWithChangesMs: roundSummary(summarize(withChanges), 1),
      exact: answered.exact === true,
      approveToResultMs: answered.resolvedAt - (await mark('clicked', exact.id)),
      ...(answered.error ? { error: answered.error } : {}),
    });
  }
  return {
    section: 'bigRequests',
    measuredOn: 'shown: server Date.now() at sending -> card with Approve in the DOM; key: keydown event.timeStamp -> first task after the next animation frame; exact: the test model\'s SHA-256 of what it received = the server\'s of what it sent',
    keysPerRun: keys,
    sizes: rows,
  };
});
