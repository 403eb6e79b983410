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

  it('a rejection reaches the server’s openai client as a 403 with the reason', async () => {
    const { result, card } = await callToolAndFindCard(session, 'llm-caller', 'ask', { prompt: 'not this one' });
    await rejectRequest(card, 'no thanks');
    const final = await result;
    assert.equal(final.isError, true);
    assert.match(textOf(final), /^403 .*no thanks/);
  });
});
