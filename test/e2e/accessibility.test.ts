/**
 * The approval panel for keyboard and screen reader users, in the real workbench: axe-core runs in
 * the panel's frame at every step a card has, in the dark, light and both high-contrast themes (one
 * session, the theme switched between rounds, the cards driven in sequence), and a request is
 * approved, edited, rejected with a reason and reviewed with the keyboard alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, rejectRequest, textOf, waitForConnected, type ToolResult } from '../harness/panel';
import { axeViolations, type AxeViolation } from '../harness/axe';
import { repoRoot } from '../harness/paths';
import { everythingServerPath } from '../fixtures/fixtureServers';

const THEMES = [
  { name: 'Default Dark Modern', kind: 'vscode-dark' },
  { name: 'Default Light Modern', kind: 'vscode-light' },
  { name: 'Default High Contrast', kind: 'vscode-high-contrast' },
  { name: 'Default High Contrast Light', kind: 'vscode-high-contrast-light' },
] as const;

/**
 * Minor violations kept, by rule id, with the reason. Empty: none is kept. Anything moderate,
 * serious or critical fails the test whatever this says.
 */
const KEPT_MINOR: Readonly<Record<string, string>> = {};

/** Long enough that the test model streams its echo for a few seconds: the streaming step can be checked. */
const STREAMED_PROMPT = `Stream this back slowly. ${'All work and no play. '.repeat(1500)}`;

/** Sends the panel a host message the way the host's channel delivers it (for steps no fixture can reach). */
const deliver = (frame: Frame, data: unknown) => frame.evaluate(`window.dispatchEvent(new MessageEvent('message', { data: ${JSON.stringify(data)} }))`);
/** Whether the focused element in `frame` matches `selector`. */
const focusedMatches = async (frame: Frame, selector: string) => (await frame.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) === true;

const stateOf = (card: Locator) => card.getAttribute('data-state');
const waitState = (card: Locator, state: string, what: string) => waitFor(what, async () => (await stateOf(card)) === state, { timeoutMs: 60_000, intervalMs: 50 });

describe('accessibility of the approval panel in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      theme: THEMES[0].name,
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': true,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': {
          alpha: { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/samplingServer.js'), '--name', 'alpha'] },
          hostile: { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/hostileServer.js'), '--name', 'hostile'] },
          everything: { type: 'stdio', command: 'node', args: [everythingServerPath(), 'stdio'] },
        },
      },
    });
    await waitForConnected(session, ['alpha', 'hostile', 'everything']);
  });

  after(async () => {
    await session?.stop();
  });

  /** Presses Tab until the focused element in `frame` matches `selector`; fails after `max` presses. */
  async function tabTo(frame: Frame, selector: string, max = 80): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await focusedMatches(frame, selector)) return;
      await session.page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${selector}`);
  }

  /** The focused element's outline, as the user sees it (2px solid from the panel's :focus-visible rule). */
  const focusRing = async (frame: Frame) =>
    (await frame.evaluate('(() => { const s = getComputedStyle(document.activeElement); return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()')) as { style: string; width: number };

  async function assertFocusRing(frame: Frame, what: string): Promise<void> {
    const ring = await focusRing(frame);
    assert.notEqual(ring.style, 'none', `${what} shows a focus ring`);
    assert.ok(ring.width >= 1, `${what}'s focus ring is at least 1px (${ring.width})`);
  }

  it('approves, edits, rejects with a reason and reviews without the mouse, with a visible focus ring', async () => {
    const first = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: 'keyboard only', systemPrompt: 'Be brief.' });
    await first.card.focus();
    await tabTo(first.frame, `[data-request-id="${first.id}"] [data-action="edit-system-prompt"]`);
    await assertFocusRing(first.frame, 'the system prompt');
    // Typed at the end (Ctrl+A goes through the workbench's own keybinding, asynchronously).
    await session.page.keyboard.press('End');
    await session.page.keyboard.type(' Be kind.');
    await session.page.keyboard.press('Control+Enter');
    await waitState(first.card, 'review', 'the answer to wait for review');
    await first.card.focus();
    await tabTo(first.frame, `[data-request-id="${first.id}"] [data-action="edit-response"]`);
    await session.page.keyboard.type('(checked) ');
    await tabTo(first.frame, `[data-request-id="${first.id}"] [data-action="approve-response"]`);
    await assertFocusRing(first.frame, 'Approve response');
    await session.page.keyboard.press('Enter');
    const sent = JSON.parse(textOf(await first.result)) as { content: { text: string } };
    assert.match(sent.content.text, /Be brief\. Be kind\./, 'the model saw the system prompt edited by keyboard');
    assert.match(sent.content.text, /\(checked\) /, 'the server got the answer edited by keyboard');

    const second = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: 'reject me by keyboard' });
    await second.card.focus();
    await tabTo(second.frame, `[data-request-id="${second.id}"] [data-action="reject"]`);
    await assertFocusRing(second.frame, 'Reject');
    await session.page.keyboard.press('Enter');
    await waitFor('the reason field to have focus', () => focusedMatches(second.frame, '[data-action="reject-reason"]'), { timeoutMs: 10_000, intervalMs: 100 });
    await session.page.keyboard.type('not by mouse');
    await session.page.keyboard.press('Enter');
    assert.match(textOf(await second.result), /rejected the sampling request: not by mouse/);
  });

  for (const theme of THEMES) {
    it(`has no accessibility violation of moderate impact or above at any step, ${theme.name}`, async () => {
      const found: Record<string, AxeViolation[]> = {};
      const kept: string[] = [];
      async function check(step: string, frame: Frame): Promise<void> {
        for (const v of await axeViolations(frame)) {
          if (v.impact === 'minor' && KEPT_MINOR[v.id]) kept.push(`${step}: ${v.id}`);
          else (found[step] ??= []).push(v);
        }
      }

      // The request that goes the whole way: approval, edits with Show changes, reject reason, error, streaming, review, closed.
      const a = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: STREAMED_PROMPT, systemPrompt: 'Be brief.' });
      await session.command('mcpSamplingTest.updateSetting', 'workbench.colorTheme', theme.name);
      await waitFor(`the panel in ${theme.name}`, async () => (await a.frame.evaluate(`document.body.getAttribute('data-vscode-theme-kind')`)) === theme.kind, { timeoutMs: 30_000, intervalMs: 200 });
      await check('approval', a.frame);
      await a.card.locator('[data-action="edit-system-prompt"]').fill('Be thorough.');
      await a.card.locator('[data-action="edit-max-tokens"]').fill('-3');
      await a.card.locator('[data-action="toggle-diff"]').click();
      await a.card.locator('.diff-added').first().waitFor({ timeout: 10_000 });
      await a.card.locator('[data-role="draft-errors"] p').first().waitFor({ timeout: 10_000 });
      await check('edit, Show changes open, a draft error', a.frame);
      await a.card.locator('[data-action="edit-max-tokens"]').fill('1000');
      await a.card.locator('[data-action="toggle-diff"]').click();
      await a.card.locator('[data-action="reject"]').click();
      await a.card.locator('[data-action="reject-reason"]').waitFor({ state: 'visible', timeout: 10_000 });
      await check('reject reason', a.frame);
      await a.card.locator('[data-action="cancel-reject"]').click();
      await deliver(a.frame, { type: 'error', requestId: a.id, message: 'The provider could not be reached (an error shown by the accessibility test).' });
      await a.card.locator('[data-role="error"]').waitFor({ timeout: 10_000 });
      await check('error', a.frame);
      await a.card.locator('[data-action="approve"]').click();
      await waitState(a.card, 'streaming', 'the answer to stream');
      await check('streaming', a.frame);
      await waitState(a.card, 'review', 'the answer to wait for review');
      await check('review', a.frame);
      await a.card.locator('[data-action="approve-response"]').click();
      await waitState(a.card, 'closed', 'the request to close');
      await check('closed', a.frame);
      assert.notEqual((await a.result).isError, true);

      const manual = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: 'answer me by hand' });
      await manual.card.locator('[data-action="edit-provider"]').selectOption('manual');
      await manual.card.locator('[data-action="approve"]').click();
      await waitFor('the manual reply step', async () => (await manual.card.getAttribute('data-step')) === 'manual-reply', { timeoutMs: 30_000, intervalMs: 100 });
      await check('manual reply', manual.frame);
      await manual.card.locator('[data-action="manual-reply"]').fill('typed by hand');
      await manual.card.locator('[data-action="send-manual-reply"]').click();
      assert.match(textOf(await manual.result), /typed by hand/);

      const cut = await callToolAndFindCard(session, 'hostile', 'sample', { kind: 'many-blocks', count: 1200 });
      await cut.card.locator('[data-role="not-shown"]').waitFor({ state: 'visible', timeout: 30_000 });
      await check('not-shown notice', cut.frame);
      await rejectRequest(cut.card);
      assert.equal(((await cut.result) as ToolResult).isError, true);

      // A view that fails the panel's check: no server can send one past the host's own, so it is delivered here.
      const unreadableId = `a11y-unreadable-${theme.kind}`;
      await deliver(a.frame, { type: 'request-added', request: { requestId: unreadableId, serverName: 'alpha', state: 'not a state' } });
      await a.frame.locator(`[data-request-id="${unreadableId}"][data-unreadable]`).waitFor({ timeout: 10_000 });
      await check('could not be displayed', a.frame);
      await deliver(a.frame, { type: 'closed', requestId: unreadableId, outcome: 'rejected', reason: 'test over' });

      const asked = session.command<ToolResult>('mcpSampling.callTool', 'everything', 'trigger-elicitation-request', {});
      asked.catch(() => undefined);
      const form = a.frame.locator('[data-elicitation-id][data-state="pending"]').last();
      await form.waitFor({ timeout: 30_000 });
      await check('elicitation form', a.frame);
      await form.locator('[data-action="elicit-decline"]').click();
      assert.match(textOf(await asked), /declined/);

      await session.screenshot(path.join(repoRoot, 'test-results', `a11y-${theme.kind}.png`));
      assert.deepEqual(found, {}, `axe violations in ${theme.name}: ${JSON.stringify(found, null, 1)}`);
      if (kept.length) console.log(`kept minor violations in ${theme.name}: ${kept.join('; ')}`);
    });
  }
});
