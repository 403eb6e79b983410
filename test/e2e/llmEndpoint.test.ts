/**
 * A server that calls an LLM directly, in the real workbench: its definition has
 * `"llmEndpoint": true`, so it starts with OPENAI_BASE_URL and OPENAI_API_KEY; its tool calls the
 * gateway's OpenAI-compatible endpoint with the official `openai` client from that environment. The
 * card names the server and the route; Approve returns the model's answer to the tool.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, rejectRequest, textOf, waitForConnected } from '../harness/panel';
import { repoRoot } from '../harness/paths';
import OpenAI from 'openai';
import { waitFor } from '../support/waitFor';

const shots = path.join(repoRoot, 'test-results');

describe('a server with "llmEndpoint": true calls the editor’s models through the endpoint, with approval', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      theme: 'Default Dark Modern',
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { 'llm-caller': { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/llmCallerServer.js')], llmEndpoint: true } },
      },
    });
    await waitForConnected(session, ['llm-caller']);
  });

  after(async () => {
    await session?.stop();
  });

  it('the card names the server as an OpenAI-compatible caller, and Approve returns the answer to its tool', async () => {
    const { result, card } = await callToolAndFindCard(session, 'llm-caller', 'ask', { prompt: 'hello from a server that calls an LLM', stream: true });
    assert.equal(await card.getAttribute('data-server'), 'llm-caller');
    assert.match((await card.locator('h2').innerText()).replace(/\s+/g, ' '), /^OpenAI-compatible call from llm-caller /);
    await card.scrollIntoViewIfNeeded();
    await session.screenshot(path.join(shots, 'llm-endpoint-request.png'));
    await card.locator('[data-action="approve"]').click();
    const final = await result;
    assert.notEqual(final.isError, true, textOf(final));
    const answer = JSON.parse(textOf(final)) as { baseURL: string; text: string };
    assert.match(answer.baseURL, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.match(answer.text, /Echo: .*hello from a server that calls an LLM/s);
  });

  it('Connect Another Client… → OpenAI-compatible client: a named key whose calls name it on the card, revocable on its own', async () => {
    await session.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.page.url()).origin });
    const command = session.command('mcpSampling.gateway.connectClient');
    command.catch(() => undefined);
    const input = session.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('OpenAI-compatible');
    await session.page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI-compatible client' }).first().waitFor({ timeout: 10_000 });
    await session.page.keyboard.press('Enter');
    await waitFor('the name box', async () => /Name the OpenAI-compatible client/.test(await session.page.locator('.quick-input-widget').innerText()), { timeoutMs: 15_000, intervalMs: 200 });
    await input.fill('nightly script');
    await session.page.keyboard.press('Enter');
    assert.equal(await Promise.race([command, new Promise((r) => setTimeout(() => r('the command did not finish in 30 s'), 30_000))]), 'nightly script');
    const copied = await session.command<string>('mcpSamplingTest.readClipboard');
    const match = /^OPENAI_BASE_URL=(http:\/\/127\.0\.0\.1:\d+\/v1)\nOPENAI_API_KEY=([A-Za-z0-9_-]{43})\n$/.exec(copied);
    assert.ok(match, copied.replace(/KEY=\S+/, 'KEY=<key>'));
    const client = new OpenAI({ baseURL: match[1], apiKey: match[2], maxRetries: 0 });

    const known = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    const answer = client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'hello from a script' }] });
    answer.catch(() => undefined);
    let id = '';
    await waitFor('the script’s card', async () => {
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      id = pending.find((r) => r.serverName === 'nightly script' && !known.has(r.id))?.id ?? '';
      return id !== '';
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    const card = frame.locator(`[data-request-id="${id}"]`);
    assert.match((await card.locator('h2').innerText()).replace(/\s+/g, ' '), /^OpenAI-compatible call from nightly script /);
    await card.locator('[data-action="approve"]').click();
    assert.match((await answer).choices[0]?.message.content ?? '', /Echo: .*hello from a script/s);

    const revoking = session.command('mcpSampling.llmEndpoint.revokeKey');
    revoking.catch(() => undefined);
    await session.page.locator('.quick-input-list .monaco-list-row', { hasText: 'nightly script' }).first().waitFor({ timeout: 15_000 });
    await input.fill('nightly script');
    await session.page.keyboard.press('Enter');
    await revoking;
    await assert.rejects(client.models.list(), OpenAI.AuthenticationError, 'a revoked key is refused');
  });

  it('a rejection reaches the server’s openai client as a 403 with the reason', async () => {
    const { result, card } = await callToolAndFindCard(session, 'llm-caller', 'ask', { prompt: 'not this one' });
    await rejectRequest(card, 'no thanks');
    const final = await result;
    assert.equal(final.isError, true);
    assert.match(textOf(final), /^403 .*no thanks/);
  });
});
