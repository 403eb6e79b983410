/**
 * Failing providers seen from the MCP server's side: the hostile fixture (a real stdio process) asks
 * for a completion, the real pipeline sends it to an OpenAI-compatible endpoint on loopback that
 * fails in one way or another, and the server must get a clear error (never a hang, never the key).
 * test/unit/providers-openai.test.ts covers the provider itself; this is the path through the pipeline.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerConnection } from '../../src/core/mcp/connection';
import { OpenAiCompatibleProvider } from '../../src/core/providers/openaiCompatible';
import type { SamplingSettings, ServerSamplingSetting } from '../../src/core/sampling/settings';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';
import { callHostile, guardUnhandledRejections, hostileDefinition, hostileWorld, waitFor, type HostileWorld, type Outcome } from './hostile-harness';

guardUnhandledRejections();

const KEY = `sk-canary-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
const WRONG_KEY = `sk-wrong-${Math.random().toString(36).slice(2)}`;

let strict: OpenAiStub; // needs KEY
let hostileList: OpenAiStub; // /models lists an empty id, owned_by: 42, a huge id
let oddList: OpenAiCompatibleProvider;
let limitedOnce: OpenAiStub; // 429 once, then answers
let limitedAlways: OpenAiStub; // 429 every time
let hanging: http.Server; // lists no models, never answers a completion
let refusedUrl: string;
let world: HostileWorld;
let conn: ServerConnection;

function provider(id: string, baseUrl: string, model: string, key: string | undefined, extra: { maxRetries?: number; timeoutMs?: number } = {}) {
  return new OpenAiCompatibleProvider({
    setting: { id, label: id, baseUrl, defaultModel: model, models: [{ id: model }] },
    getApiKey: async () => key,
    maxRetries: extra.maxRetries ?? 0,
    timeoutMs: extra.timeoutMs ?? 10_000,
    modelListTtlMs: 60_000,
  });
}

before(async () => {
  strict = await startOpenAiStub({ apiKey: KEY });
  hostileList = await startOpenAiStub({ apiKey: KEY, hostileModels: true });
  limitedOnce = await startOpenAiStub({ rateLimitTimes: 1, retryAfterSeconds: '0' });
  limitedAlways = await startOpenAiStub({ rateLimitTimes: 1000, retryAfterSeconds: '0' });
  hanging = http.createServer((req, res) => {
    if (req.method === 'GET') res.writeHead(404).end();
    // Completions: never answered (the socket stays open until the client gives up).
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  world = hostileWorld({
    settings: { approval: 'auto', defaultProvider: 'good' },
    secrets: () => [KEY, WRONG_KEY],
    providers: [
      provider('good', strict.baseUrl, 'stub-echo', KEY),
      provider('wrong-key', strict.baseUrl, 'stub-echo', WRONG_KEY),
      provider('limited-once', limitedOnce.baseUrl, 'stub-429', KEY, { maxRetries: 2 }),
      provider('limited-always', limitedAlways.baseUrl, 'stub-429', KEY, { maxRetries: 2 }),
      provider('broken', strict.baseUrl, 'stub-500', KEY),
      provider('malformed', strict.baseUrl, 'stub-malformed', KEY),
      provider('refused', refusedUrl, 'any', KEY),
      provider('endless-name', strict.baseUrl, 'stub-endless-tool-name', KEY),
      provider('endless-args', strict.baseUrl, 'stub-endless-tool-args', KEY),
      (oddList = new OpenAiCompatibleProvider({ setting: { id: 'odd-list', label: 'odd-list', baseUrl: hostileList.baseUrl }, getApiKey: async () => KEY, maxRetries: 0, timeoutMs: 10_000 })),
      provider('hanging', `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`, 'any', KEY, { timeoutMs: 1000 }),
    ],
  });
  conn = await world.connect(hostileDefinition('asker'));
  assert.equal(conn.state.status, 'connected', conn.state.error);
});

after(async () => {
  await world?.close();
  hanging?.closeAllConnections();
  await Promise.all([strict?.close(), hostileList?.close(), limitedOnce?.close(), limitedAlways?.close(), new Promise((r) => hanging?.close(r))]);
});

/** Routes the hostile server to one provider and asks through a tool call; returns what the server got. */
async function askVia(providerId: string, text = 'hello provider', kind = 'valid'): Promise<Outcome> {
  const serverSampling: Record<string, ServerSamplingSetting> = { asker: { provider: providerId } };
  (world.settings as { -readonly [K in keyof SamplingSettings]: SamplingSettings[K] }).serverSampling = serverSampling;
  return callHostile(conn, 'sample', { kind, text });
}

function assertFailed(outcome: Outcome, pattern: RegExp): void {
  assert.equal(outcome.ok, false, JSON.stringify(outcome));
  assert.equal(outcome.error?.code, -32603, JSON.stringify(outcome));
  assert.match(outcome.error?.message ?? '', pattern);
  assert.ok(!JSON.stringify(outcome).includes(KEY) && !JSON.stringify(outcome).includes(WRONG_KEY), 'no key in what the server gets');
}

test('a working endpoint answers the server (the baseline for the failures below)', async () => {
  const outcome = await askVia('good');
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.match(JSON.stringify(outcome.result), /echo: hello provider/);
});

test('401: the server gets "API key rejected", naming the command MCP Sampling: Set API Key', async () => {
  assertFailed(await askVia('wrong-key'), /API key rejected by wrong-key: set it with MCP Sampling: Set API Key/);
});

test('429 with retry-after: retried (bounded) and answered; when it persists the server gets the 429 after the retries', async () => {
  const once = await askVia('limited-once');
  assert.equal(once.ok, true, JSON.stringify(once));
  assert.equal(limitedOnce.requests.filter((r) => r.path === '/v1/chat/completions').length, 2, 'one refusal, one retry');

  assertFailed(await askVia('limited-always'), /HTTP 429\).*after 2 retries/);
  assert.equal(limitedAlways.requests.filter((r) => r.path === '/v1/chat/completions').length, 3, 'one try plus two retries, no more');
});

test('500: the server gets the endpoint failure', async () => {
  assertFailed(await askVia('broken'), /broken failed with HTTP 500/);
});

test('connection refused: the server gets "could not reach", never the endpoint\'s address (round 2, item 11)', async () => {
  const outcome = await askVia('refused');
  assertFailed(outcome, /Could not reach refused: the connection was refused/);
  const port = new URL(refusedUrl).port;
  assert.ok(!JSON.stringify(outcome).includes(`127.0.0.1:${port}`), `no endpoint in ${JSON.stringify(outcome)}`);
});

test('a tool call whose name or arguments stream on without end is cut at a bound with a clear error (round 2, item 11)', async () => {
  assertFailed(await askVia('endless-name', 'weather?', 'with-tools'), /endless-name sent a tool call name longer than 1024 characters/);
  assertFailed(await askVia('endless-args', 'weather?', 'with-tools'), /endless-args sent tool call arguments longer than 4000000 characters/);
  const cut = strict.requests.filter((r) => (r.body as { model?: string } | undefined)?.model?.startsWith('stub-endless'));
  assert.equal(cut.length, 2);
  // The client stops reading: the stub sees its stream closed before the end (the close can follow the answer).
  await waitFor(() => cut.every((r) => r.cancelled === true), 'the endless streams to be abandoned by the client');
});

test('an endpoint whose /models lists an empty id, a non-string owned_by and a huge id still answers requests with hints (round 2, item 11)', async () => {
  const outcome = await askVia('odd-list', 'hinted hello', 'hinted');
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  const listed = await oddList.listModels(new AbortController().signal);
  assert.ok(!listed.some((m) => m.id === '' || m.id.length > 1024));
  assert.deepEqual(listed.find((m) => m.id === 'stub-odd-owner'), { id: 'stub-odd-owner' });
});

test('an endpoint that never answers: the server gets a timeout error', async () => {
  assertFailed(await askVia('hanging'), /hanging did not answer within 1 s/);
});

test('a malformed stream: the server gets "malformed response stream"', async () => {
  assertFailed(await askVia('malformed'), /malformed response stream/);
});

test('each failure closed its request as failed in the approval UI, with the same message', () => {
  const failed = world.prompter.events.filter((e) => e.event.kind === 'closed' && e.event.outcome === 'failed');
  assert.equal(failed.length, 8, JSON.stringify(failed.map((f) => f.event)));
  for (const { id } of failed) assert.ok(world.prompter.events.some((e) => e.id === id && e.event.kind === 'error'));
  assert.ok(!JSON.stringify(world.prompter.events).includes(KEY));
});
