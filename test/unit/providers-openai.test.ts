/** The OpenAI-compatible provider against the stub endpoint on loopback: mapping, streaming, errors. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';
import { OpenAiCompatibleProvider, type OpenAiCompatibleOptions } from '../../src/core/providers/openaiCompatible';
import { ProviderError } from '../../src/core/providers/providerError';
import type { ProviderRequest, SamplingMessage } from '../../src/core/sampling/types';

const KEY = 'sk-test-right-key-0123456789';
let stub: OpenAiStub;

before(async () => {
  stub = await startOpenAiStub({ apiKey: KEY, rateLimitTimes: 1 });
});
after(async () => {
  await stub.close();
});

function provider(overrides: Partial<OpenAiCompatibleOptions> = {}, key: string | undefined = KEY, baseUrl = stub.baseUrl): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({
    setting: { id: 'stub', label: 'Stub', baseUrl, defaultModel: 'stub-echo', headers: { 'x-extra': 'yes' }, models: [{ id: 'stub-echo', cost: 0.2, maxInputTokens: 1000 }] },
    getApiKey: async () => key,
    maxRetries: 0,
    timeoutMs: 10_000,
    ...overrides,
  });
}

const user = (text: string): SamplingMessage => ({ role: 'user', content: { type: 'text', text } });
const request = (patch: Partial<ProviderRequest> = {}): ProviderRequest => ({ model: 'stub-echo', messages: [user('hello world')], maxTokens: 50, ...patch });

function lastBody(): Record<string, unknown> {
  return stub.requests.at(-1)?.body as Record<string, unknown>;
}

async function failsWith(promise: Promise<unknown>, kind: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ProviderError, `not a ProviderError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, new RegExp(KEY.slice(3)));
    assert.doesNotMatch(error.message, /wrong-key/);
    return true;
  });
}

test('streaming: deltas, usage, and the request mapping (system, temperature, stop, max_tokens, headers, key)', async () => {
  const deltas: string[] = [];
  const response = await provider().complete(request({ systemPrompt: 'be kind', temperature: 0.3, stopSequences: ['NEVER'] }), (d) => deltas.push(d), new AbortController().signal);
  assert.deepEqual(response.content, { type: 'text', text: 'echo: hello world' });
  assert.equal(deltas.join(''), 'echo: hello world');
  assert.ok(deltas.length > 1, 'streamed in pieces');
  assert.equal(response.stopReason, 'endTurn');
  assert.equal(response.model, 'stub-echo');
  // The stub counts words: 'be kind' + 'hello world' in, 'echo: hello world' out.
  assert.deepEqual(response.usage, { inputTokens: 4, outputTokens: 3 });
  const sent = stub.requests.at(-1);
  assert.equal(sent?.headers.authorization, `Bearer ${KEY}`);
  assert.equal(sent?.headers['x-extra'], 'yes');
  assert.deepEqual(lastBody().messages, [{ role: 'system', content: 'be kind' }, { role: 'user', content: 'hello world' }]);
  assert.equal(lastBody().max_tokens, 50);
  assert.equal(lastBody().temperature, 0.3);
  assert.deepEqual(lastBody().stop, ['NEVER']);
  assert.equal(lastBody().stream, true);
  assert.deepEqual(lastBody().stream_options, { include_usage: true });
});

test('non-streaming gives the same answer', async () => {
  const deltas: string[] = [];
  const response = await provider({ streaming: false }).complete(request(), (d) => deltas.push(d), new AbortController().signal);
  assert.deepEqual(response.content, { type: 'text', text: 'echo: hello world' });
  assert.deepEqual(deltas, ['echo: hello world']);
  assert.equal(lastBody().stream, false);
  assert.deepEqual(response.usage, { inputTokens: 2, outputTokens: 3 });
});

test('finish reasons: length -> maxTokens, a reported stop sequence -> stopSequence', async () => {
  const long = await provider().complete(request({ messages: [user('one two three four five')], maxTokens: 2 }), () => {}, new AbortController().signal);
  assert.equal(long.stopReason, 'maxTokens');
  assert.deepEqual(long.content, { type: 'text', text: 'echo: one' });
  const stopped = await provider().complete(request({ messages: [user('alpha STOP beta')], stopSequences: ['STOP'] }), () => {}, new AbortController().signal);
  assert.equal(stopped.stopReason, 'stopSequence');
  assert.deepEqual(stopped.content, { type: 'text', text: 'echo: alpha ' });
});

test('images become image_url data URIs, audio becomes input_audio', async () => {
  const png = Buffer.from('fake-png').toString('base64');
  const wav = Buffer.from('fake-wav').toString('base64');
  const response = await provider().complete(
    request({ messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', data: png, mimeType: 'image/png' }, { type: 'audio', data: wav, mimeType: 'audio/wav' }] }] }),
    () => {},
    new AbortController().signal,
  );
  assert.deepEqual(response.content, { type: 'text', text: 'echo: look [image image/png] [audio wav]' });
  assert.deepEqual((lastBody().messages as unknown[])[0], {
    role: 'user',
    content: [
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
      { type: 'input_audio', input_audio: { data: wav, format: 'wav' } },
    ],
  });
  await failsWith(
    provider().complete(request({ messages: [{ role: 'user', content: { type: 'audio', data: wav, mimeType: 'audio/ogg' } }] }), () => {}, new AbortController().signal),
    'request',
    /wav or mp3 audio, not audio\/ogg/,
  );
});

test('tools: function tools and tool_choice out, tool_calls back as tool_use; tool results go as role "tool"', async () => {
  const tools = [{ name: 'weather', description: 'Weather by city', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
  for (const streaming of [true, false]) {
    const response = await provider({ streaming }).complete(request({ messages: [user('weather in Paris?')], tools, toolChoice: { mode: 'required' } }), () => {}, new AbortController().signal);
    assert.equal(response.stopReason, 'toolUse');
    assert.deepEqual(response.content, [{ type: 'tool_use', id: 'call_stub_1', name: 'weather', input: { city: 'Paris' } }]);
    assert.deepEqual(lastBody().tools, [{ type: 'function', function: { name: 'weather', description: 'Weather by city', parameters: tools[0]?.inputSchema } }]);
    assert.equal(lastBody().tool_choice, 'required');
  }
  const followUp = await provider().complete(
    request({
      tools,
      messages: [
        user('weather in Paris?'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_stub_1', name: 'weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', toolUseId: 'call_stub_1', content: [{ type: 'text', text: 'sunny' }] }] },
      ],
    }),
    () => {},
    new AbortController().signal,
  );
  assert.deepEqual(followUp.content, { type: 'text', text: 'echo: tool said sunny' });
  assert.equal(followUp.stopReason, 'endTurn');
  const messages = lastBody().messages as unknown[];
  assert.deepEqual(messages[1], { role: 'assistant', content: null, tool_calls: [{ id: 'call_stub_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] });
  assert.deepEqual(messages[2], { role: 'tool', tool_call_id: 'call_stub_1', content: 'sunny' });
});

test('401: a clear message pointing at Set API Key, without the key', async () => {
  await failsWith(provider({}, 'sk-wrong-key-999999').complete(request(), () => {}, new AbortController().signal), 'auth', /^API key rejected by Stub: set it with MCP Sampling: Set API Key…$/);
  await failsWith(provider({ getApiKey: async () => undefined }).complete(request(), () => {}, new AbortController().signal), 'auth', /API key rejected by Stub/);
});

test('429: retried (bounded) honouring retry-after, then a clear error when it persists', async () => {
  const limited = await startOpenAiStub({ rateLimitTimes: 1, retryAfterSeconds: '0' });
  try {
    const ok = await provider({ maxRetries: 2 }, KEY, limited.baseUrl).complete(request({ model: 'stub-429' }), () => {}, new AbortController().signal);
    assert.deepEqual(ok.content, { type: 'text', text: 'echo: hello world' });
    assert.equal(limited.requests.filter((r) => r.path === '/v1/chat/completions').length, 2);
  } finally {
    await limited.close();
  }
  const stubborn = await startOpenAiStub({ rateLimitTimes: 100, retryAfterSeconds: '0' });
  try {
    await failsWith(provider({ maxRetries: 1 }, KEY, stubborn.baseUrl).complete(request({ model: 'stub-429' }), () => {}, new AbortController().signal), 'rate-limit', /HTTP 429.*after 1 retries \(it asked to wait 0 s\)/);
    assert.equal(stubborn.requests.length, 2, 'one try plus one retry');
  } finally {
    await stubborn.close();
  }
});

test('500 and a stream error are clear server errors', async () => {
  await failsWith(provider().complete(request({ model: 'stub-500' }), () => {}, new AbortController().signal), 'server', /Stub failed with HTTP 500: the stub failed on purpose/);
});

test('a refused connection names the endpoint', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await failsWith(provider({}, KEY, `http://127.0.0.1:${port}/v1`).complete(request(), () => {}, new AbortController().signal), 'connection', /^Could not reach Stub: the connection was refused \(the log names the endpoint\)$/);
});

test('a malformed stream is reported as such', async () => {
  await failsWith(provider().complete(request({ model: 'stub-malformed' }), () => {}, new AbortController().signal), 'malformed', /malformed response stream/);
});

test('a slow answer is cancelled by the signal and the endpoint sees the disconnect', async () => {
  const controller = new AbortController();
  const reason = new Error('server cancelled');
  const deltas: string[] = [];
  const answer = provider().complete(request({ model: 'stub-slow' }), (d) => {
    deltas.push(d);
    controller.abort(reason);
  }, controller.signal);
  await assert.rejects(answer, (error) => error === reason);
  assert.deepEqual(deltas, ['thinking']);
  const slowRequest = stub.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === 'stub-slow').at(-1);
  for (let i = 0; i < 100 && !slowRequest?.cancelled; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(slowRequest?.cancelled, true);
});

test('max_completion_tokens is used when the endpoint refuses max_tokens', async () => {
  const response = await provider().complete(request({ model: 'stub-new-tokens' }), () => {}, new AbortController().signal);
  assert.deepEqual(response.content, { type: 'text', text: 'echo: hello world' });
  assert.equal(lastBody().max_completion_tokens, 50);
  assert.equal('max_tokens' in lastBody(), false);
});

test('listModels: configured models with metadata, then /models; configured only when there is no /models', async () => {
  const models = await provider().listModels(new AbortController().signal);
  assert.deepEqual(models[0], { id: 'stub-echo', cost: 0.2, maxInputTokens: 1000 });
  assert.ok(models.some((m) => m.id === 'stub-slow' && m.family === 'stub'));
  assert.equal(models.filter((m) => m.id === 'stub-echo').length, 1);
  const bare = await startOpenAiStub({ models: false });
  try {
    const only = await provider({}, KEY, bare.baseUrl).listModels(new AbortController().signal);
    assert.deepEqual(only.map((m) => m.id), ['stub-echo']);
  } finally {
    await bare.close();
  }
});

test('listModels: requests arriving together share one /models call; one that gives up stops waiting, the others get the list', async () => {
  const shared = provider();
  const listings = () => stub.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length;
  const before = listings();
  const givingUp = new AbortController();
  const waiting = Array.from({ length: 20 }, () => shared.listModels(new AbortController().signal));
  const abandoned = shared.listModels(givingUp.signal);
  givingUp.abort(new Error('the request was cancelled'));
  await assert.rejects(abandoned, /the request was cancelled/);
  const lists = await Promise.all(waiting);
  assert.equal(listings() - before, 1, 'one GET /v1/models for 21 callers');
  for (const list of lists) assert.ok(list.some((m) => m.id === 'stub-slow'), 'each caller got the endpoint listing');
  // Cached now: no further call, and a later listing after the cache is cleared asks again.
  await shared.listModels(new AbortController().signal);
  assert.equal(listings() - before, 1);
  const expired = provider({ modelListTtlMs: 0 });
  await expired.listModels(new AbortController().signal);
  await expired.listModels(new AbortController().signal);
  assert.equal(listings() - before, 3, 'with no cache, each listing after the last one ended asks again');
});

test('the stub runs as a script and prints its port', async () => {
  // out/test/unit/this.js -> out/test/fixtures/openaiStub.js
  const script = path.resolve(__dirname, '../fixtures/openaiStub.js');
  const child = spawn(process.execPath, [script, JSON.stringify({ apiKey: 'k' })], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no port printed')), 10_000);
      createInterface({ input: child.stdout }).once('line', (l) => (clearTimeout(timer), resolve(l)));
    });
    const { port, baseUrl } = JSON.parse(line) as { port: number; baseUrl: string };
    assert.equal(baseUrl, `http://127.0.0.1:${port}/v1`);
    const unauthorized = await fetch(`${baseUrl}/models`);
    assert.equal(unauthorized.status, 401);
    const listed = (await (await fetch(`${baseUrl}/models`, { headers: { authorization: 'Bearer k' } })).json()) as { data: { id: string }[] };
    assert.ok(listed.data.some((m) => m.id === 'stub-instant'));
  } finally {
    child.kill('SIGTERM');
  }
});

test('a stream that stalls is abandoned after the idle timeout with a clear message', async () => {
  await failsWith(provider({ idleTimeoutMs: 300 }).complete(request({ model: 'stub-slow' }), () => {}, new AbortController().signal), 'timeout', /^Stub stopped sending its answer for 300 ms$/);
});

/** An endpoint that echoes the caller's key back in its error text after `padding` characters. */
async function echoingEndpoint(status: number, padding: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `${'x'.repeat(padding)} your key ${key} is not allowed here` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('an error that echoes the key across the cut keeps no part of it (scrubbed, then shortened)', async () => {
  // The key starts at character ~290 of the message, the detail is cut at 300.
  const endpoint = await echoingEndpoint(403, 280);
  try {
    await assert.rejects(provider({}, KEY, endpoint.url).complete(request(), () => {}, new AbortController().signal), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.match(error.message, /^Stub refused access \(HTTP 403\): x+ your key/);
      assert.doesNotMatch(error.message, new RegExp(KEY.slice(0, 8)), 'no prefix of the key');
      return true;
    });
  } finally {
    await endpoint.close();
  }
});

test('a failed model listing is logged without the key', async () => {
  const endpoint = await echoingEndpoint(500, 10);
  const lines: string[] = [];
  const record = (line: string) => void lines.push(line);
  const logger = { trace: record, debug: record, info: record, warn: record, error: record };
  try {
    const models = await provider({ logger }, KEY, endpoint.url).listModels(new AbortController().signal);
    assert.deepEqual(models.map((m) => m.id), ['stub-echo'], 'the configured models remain');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /Stub: no model list \(Stub failed with HTTP 500: x+ your key/);
    assert.ok(!lines.some((l) => l.includes(KEY)), lines.join('\n'));
  } finally {
    await endpoint.close();
  }
});
