import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';
import { fixture, resultText, serverEverythingEntry, setSetting, waitForServer } from './support';

const callTool = (server: string, tool: string, args: Record<string, unknown>) => vscode.commands.executeCommand('mcpSampling.callTool', server, tool, args);

describe('Sampling in the real extension host', function () {
  this.timeout(90_000);
  let stub: OpenAiStub | undefined;

  before(async () => {
    await setSetting('approval', 'auto');
    await setSetting('reviewResponses', false);
    await setSetting('defaultProvider', 'vscode-lm');
    await setSetting('servers', {
      everything: { type: 'stdio', command: process.execPath, args: [serverEverythingEntry, 'stdio'] },
      sampler: { type: 'stdio', command: process.execPath, args: [fixture('samplingServer.js'), '--name', 'sampler'] },
    });
    await waitForServer('everything');
    await waitForServer('sampler');
  });

  after(async () => {
    for (const key of ['approval', 'reviewResponses', 'defaultProvider', 'servers', 'providers', 'serverSampling']) await setSetting(key, undefined);
    await stub?.close();
  });

  it('answers server-everything\'s trigger-sampling-request with the editor\'s model (vscode.lm)', async () => {
    const result = await callTool('everything', 'trigger-sampling-request', { prompt: 'ping', maxTokens: 50 });
    // The test model echoes the user message; vscode.lm has no system role, so the system prompt is folded into it.
    assert.match(resultText(result), /"text": "Echo: System instructions:\\nYou are a helpful test server\.\\n\\nResource trigger-sampling-request context: ping"/);
    assert.match(resultText(result), /"model": "test-echo"/);
  });

  it('runs server-everything\'s task-augmented sampling (trigger-sampling-request-async) as a client task', async () => {
    const result = await callTool('everything', 'trigger-sampling-request-async', { prompt: 'as a task', maxTokens: 50 });
    const text = resultText(result);
    assert.match(text, /^\[COMPLETED\]/, text.slice(0, 300));
    assert.match(text, /Resource trigger-sampling-request-async context: as a task/);
    assert.match(text, /"model": "test-echo"/);
  });

  it('answers through an OpenAI-compatible endpoint with the key from SecretStorage', async () => {
    stub = await startOpenAiStub({ apiKey: 'sk-test-integration-key' });
    await setSetting('providers', [{ id: 'stub', label: 'Loopback stub', baseUrl: stub.baseUrl, defaultModel: 'stub-echo' }]);
    await vscode.commands.executeCommand('mcpSampling.setApiKey', 'stub', 'sk-test-integration-key');
    await setSetting('serverSampling', { everything: { provider: 'stub' } });
    const result = await callTool('everything', 'trigger-sampling-request', { prompt: 'over http', maxTokens: 50 });
    assert.match(resultText(result), /echo: Resource trigger-sampling-request context: over http/);
    const chat = stub.requests.find((r) => r.path.endsWith('/chat/completions'));
    assert.ok(chat, 'the stub received a chat completion');
    assert.equal(chat.headers.authorization, 'Bearer sk-test-integration-key');
    const body = chat.body as { messages: { role: string; content: unknown }[]; temperature?: number };
    assert.equal(body.messages[0]?.role, 'system');
    assert.equal(body.temperature, 0.7);
    await setSetting('serverSampling', undefined);
  });

  it('returns tool_use to a server that samples with tools', async () => {
    const result = await callTool('sampler', 'sample_with_tools', { prompt: 'Please use tool get_weather for Paris' });
    const { first, final } = JSON.parse(resultText(result)) as { first: { stopReason: string; content: unknown }; final?: unknown };
    assert.equal(first.stopReason, 'toolUse');
    const blocks = Array.isArray(first.content) ? first.content : [first.content];
    assert.ok(blocks.some((b: { type: string; name?: string }) => b.type === 'tool_use' && b.name === 'get_weather'), JSON.stringify(first.content));
    assert.ok(final, 'the server got a final answer after sending the tool result');
  });

  it('refuses with error -1 naming the setting when approval is deny', async () => {
    await setSetting('approval', 'deny');
    try {
      const result = (await callTool('sampler', 'sample', { prompt: 'should be refused' })) as { isError?: boolean };
      assert.equal(result.isError, true);
      assert.match(resultText(result), /mcpSampling\.approval/);
    } finally {
      await setSetting('approval', 'auto');
    }
  });
});
