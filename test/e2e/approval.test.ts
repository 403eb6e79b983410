/**
 * The approval panel in the real workbench: a fixture server's sampling request opens the panel,
 * and the browser edits, approves, reviews and rejects through the panel's data-action hooks,
 * while the tool call runs in the extension host (through the helper's bridge).
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, rejectRequest, textOf, waitForConnected, type ToolResult } from '../harness/panel';
import { repoRoot } from '../harness/paths';

const fixtureServer = (name: string) => ({ type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/samplingServer.js'), '--name', name] });
const shots = path.join(repoRoot, 'test-results');

describe('approval panel in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      theme: 'Default Dark Modern',
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': true,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { alpha: fixtureServer('alpha'), beta: fixtureServer('beta') },
      },
    });
    await waitForConnected(session, ['alpha', 'beta']);
  });

  after(async () => {
    await session?.stop();
  });


  const card = (frame: Frame, requestId: string) => frame.locator(`[data-request-id="${requestId}"]`);

  /** Starts a tool call that samples, and returns its pending result and the request's card id. */
  async function startSampling(server: string, args: Record<string, unknown>): Promise<{ result: Promise<ToolResult>; id: string; frame: Frame }> {
    return callToolAndFindCard(session, server, 'sample', args);
  }

  it('edits the system prompt, approves, edits the streamed answer, and the server gets the edited answer', async () => {
    const { result, id, frame } = await startSampling('alpha', { prompt: 'hello panel', systemPrompt: 'Be brief.' });
    const request = card(frame, id);
    assert.equal(await request.getAttribute('data-server'), 'alpha');
    assert.equal(await request.getAttribute('data-state'), 'pending');
    await session.screenshot(path.join(shots, 'panel-dark.png'));

    await request.locator('[data-action="edit-system-prompt"]').fill('Be very brief.');
    await request.locator('[data-action="approve"]').click();

    const response = request.locator('[data-action="edit-response"]');
    await response.waitFor({ timeout: 30_000 });
    await waitFor('the answer to stream in', async () => /Echo: .*hello panel/s.test(await response.inputValue()), { timeoutMs: 30_000, intervalMs: 200 });
    const answer = await response.inputValue();
    assert.match(answer, /Be very brief\./, 'the model saw the edited system prompt');
    await response.fill(`${answer}\n(reviewed by a human)`);
    await session.screenshot(path.join(shots, 'panel-review-dark.png'));
    await request.locator('[data-action="approve-response"]').click();

    const final = await result;
    assert.notEqual(final.isError, true, textOf(final));
    const sent = JSON.parse(textOf(final)) as { content: { text: string }; model: string };
    assert.match(sent.content.text, /\(reviewed by a human\)$/);
    assert.match(sent.content.text, /hello panel/);
    assert.equal(sent.model, 'test-echo');
  });

  it('Reject asks for a reason, then the server gets error -1 with it', async () => {
    const { result, id, frame } = await startSampling('beta', { prompt: 'please reject me' });
    const request = card(frame, id);
    assert.equal(await request.locator('[data-action="reject-reason"]').count(), 0, 'no reason field before Reject is chosen');
    await request.locator('[data-action="reject"]').click();
    const reason = request.locator('[data-action="reject-reason"]');
    await reason.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor('the reason field to have focus', async () => (await reason.evaluate((el) => el === el.ownerDocument.activeElement)) === true, { timeoutMs: 5_000, intervalMs: 100 });
    await session.screenshot(path.join(shots, 'panel-reject-dark.png'));
    await reason.fill('not this prompt');
    await request.locator('[data-action="confirm-reject"]').click();
    const final = await result;
    assert.equal(final.isError, true);
    // The server's createMessage fails with the JSON-RPC error the client sent: code -1, the user's refusal and reason.
    assert.match(textOf(final), /MCP error -1: The user rejected the sampling request: not this prompt/);
  });

  it('Reject by keyboard: Escape keeps the request, Enter in the reason field rejects it', async () => {
    const { result, id, frame } = await startSampling('alpha', { prompt: 'reject me by keyboard' });
    const request = card(frame, id);
    await request.locator('[data-action="reject"]').focus();
    await session.page.keyboard.press('Enter');
    const reason = request.locator('[data-action="reject-reason"]');
    await reason.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor('the reason field to have focus', async () => (await reason.evaluate((el) => el === el.ownerDocument.activeElement)) === true, { timeoutMs: 5_000, intervalMs: 100 });
    await session.page.keyboard.type('first thoughts');
    await session.page.keyboard.press('Escape');
    await request.locator('[data-role="reject-form"]').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await request.getAttribute('data-state'), 'pending', 'Escape keeps the request waiting');
    await request.locator('[data-action="reject"]').focus();
    await session.page.keyboard.press('Enter');
    await reason.waitFor({ state: 'visible', timeout: 10_000 });
    await waitFor('the reason field to have focus', async () => (await reason.evaluate((el) => el === el.ownerDocument.activeElement)) === true, { timeoutMs: 5_000, intervalMs: 100 });
    assert.equal(await reason.inputValue(), '', 'the cancelled reason is gone');
    await session.page.keyboard.type('wrong server');
    await session.page.keyboard.press('Enter');
    const final = await result;
    assert.equal(final.isError, true);
    assert.match(textOf(final), /MCP error -1: The user rejected the sampling request: wrong server/);
  });

  it('Show changes shows the edit inline, and opens the same text in the diff editor from there', async () => {
    const { result, id, frame } = await startSampling('alpha', { prompt: 'diff me', systemPrompt: 'Be brief.' });
    const request = card(frame, id);
    await request.locator('[data-action="edit-system-prompt"]').fill('Be thorough.');
    const changes = request.locator('[data-role="changes"]');
    assert.equal(await changes.isVisible(), false, 'the changes are closed until asked for');
    await request.locator('[data-action="toggle-diff"]').click();
    await changes.waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual((await changes.locator('.diff-removed').allInnerTexts()).map((t) => t.trim()), ['- Be brief.']);
    assert.deepEqual((await changes.locator('.diff-added').allInnerTexts()).map((t) => t.trim()), ['+ Be thorough.']);
    await session.screenshot(path.join(shots, 'panel-changes-dark.png'));
    const virtualDocuments = () => session.command<{ uri: string; text: string }[]>('mcpSamplingTest.virtualDocuments');
    const seen = new Set((await virtualDocuments()).map((d) => d.uri));
    await changes.locator('[data-action="show-diff"]').click();
    let docs: { uri: string; text: string }[] = [];
    await waitFor('the diff editor documents', async () => {
      docs = (await virtualDocuments()).filter((d) => !seen.has(d.uri));
      return docs.some((d) => d.uri.includes('original.txt')) && docs.some((d) => d.uri.includes('edited.txt'));
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const original = docs.find((d) => d.uri.includes('original.txt'))!.text;
    const edited = docs.find((d) => d.uri.includes('edited.txt'))!.text;
    assert.match(original, /=== System prompt ===\nBe brief\.\n/);
    assert.match(edited, /=== System prompt ===\nBe thorough\.\n/);
    assert.equal(edited.replace('Be thorough.', 'Be brief.'), original, 'the diff editor shows exactly the inline change');
    await rejectRequest(request);
    assert.equal((await result).isError, true);
  });

  it('a request the server cancels turns read-only with the reason', async () => {
    const { result, id, frame } = await startSampling('alpha', { prompt: 'I will time out', timeoutMs: 3000 });
    const final = await result;
    assert.equal(final.isError, true, 'the server timed out its own request');
    const request = card(frame, id);
    await waitFor('the card to close', async () => (await request.getAttribute('data-state')) === 'closed', { timeoutMs: 20_000, intervalMs: 200 });
    assert.ok((await request.locator('[data-role="closed-reason"]').innerText()).length > 0);
    assert.equal(await request.locator('[data-action="approve"]').count(), 0, 'no approve button on a closed request');
  });

  it('queues three concurrent requests from two servers and answers them in any order', async () => {
    const first = await startSampling('alpha', { prompt: 'one' });
    const second = await startSampling('beta', { prompt: 'two' });
    const third = await startSampling('alpha', { prompt: 'three' });
    // Answer out of order: third, first, second.
    for (const { id, frame } of [third, first, second]) {
      const request = card(frame, id);
      await request.locator('[data-action="approve"]').click();
      await request.locator('[data-action="approve-response"]').click({ timeout: 30_000 });
    }
    const texts = await Promise.all([first, second, third].map(async (r) => JSON.parse(textOf(await r.result)).content.text as string));
    assert.match(texts[0]!, /Echo: one$/);
    assert.match(texts[1]!, /Echo: two$/);
    assert.match(texts[2]!, /Echo: three$/);
  });

  it('looks right in the light theme too', async () => {
    await session.command('mcpSamplingTest.updateSetting', 'workbench.colorTheme', 'Default Light Modern');
    try {
      const { result, id, frame } = await startSampling('beta', { prompt: 'light theme screenshot', systemPrompt: 'You are a helpful assistant.' });
      await card(frame, id).waitFor();
      await card(frame, id).scrollIntoViewIfNeeded();
      // The webview follows the theme: VS Code marks its body light, and the card's colours come from the theme.
      await waitFor('the panel to switch to the light theme', async () => (await frame.evaluate('document.body.classList.contains("vscode-light")')) === true, { timeoutMs: 20_000, intervalMs: 200 });
      const background = (await frame.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
      const [r = 0, g = 0, b = 0] = (background.match(/\d+/g) ?? []).map(Number);
      assert.ok(r + g + b > 3 * 200, `a light background in the light theme (got ${background})`);
      await session.screenshot(path.join(shots, 'panel-light.png'));
      await rejectRequest(card(frame, id));
      assert.equal((await result).isError, true);
    } finally {
      // Later tests (and their screenshots) expect the default dark theme.
      await session.command('mcpSamplingTest.updateSetting', 'workbench.colorTheme', undefined);
    }
  });
});
