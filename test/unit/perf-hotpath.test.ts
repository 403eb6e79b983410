/**
 * What the auto-approved round trip leaves behind and what it repeats (issue 15), checked by
 * behaviour, never by time: the history keeps its file open and batches one turn's records, yet
 * nothing is lost on dispose or when the file is replaced under it; a finished request leaves no
 * timer and no abort listener; a cached model list needs no timeout; the rate limiter stays exact
 * over long runs.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonlHistory, type HistoryRecord } from '../../src/core/history/history';
import { OpenAiCompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { ProviderRegistry } from '../../src/core/providers/registry';
import type { ModelInfo, ModelProvider } from '../../src/core/providers/types';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { SlidingWindowRateLimiter } from '../../src/core/sampling/rateLimiter';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type { ApprovalPrompter, SamplingContext } from '../../src/core/sampling/types';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';

function record(id: string, patch: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    version: 1,
    id,
    serverName: 'srv',
    serverSource: 'settings',
    route: 'server-request',
    receivedAt: 1,
    finishedAt: 2,
    latencyMs: 1,
    outcome: 'answered',
    decision: 'auto',
    request: { messages: [{ role: 'user', content: { type: 'text', text: `question ${id}` } }], maxTokens: 10 },
    ...patch,
  };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const ids = (file: string) => lines(file).map((l) => (JSON.parse(l) as { id: string }).id);

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-hotpath-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('history: records appended in one turn are written together, and dispose writes what was not yet written', () =>
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    const pending = [history.append(record('a')), history.append(record('b')), history.append(record('c'))];
    // Nothing is written inside the turn that appended (the write is off the request's path)...
    assert.throws(() => readFileSync(history.path, 'utf8'), /ENOENT/);
    // ...and dispose does not wait for a later turn to write it.
    await history.dispose();
    assert.deepEqual(ids(history.path), ['a', 'b', 'c']);
    await Promise.all(pending);
    // After dispose the file is closed; a later append opens it again.
    await history.append(record('d'));
    await history.dispose();
    assert.deepEqual(ids(history.path), ['a', 'b', 'c', 'd']);
  }));

test('history: a file replaced under the open handle (another window compacted it) or removed is reopened, not written into the void', () =>
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    await history.append(record('mine-1'));
    // Another window compacts: writes a new file and renames it over ours.
    const temp = path.join(dir, 'other.tmp');
    writeFileSync(temp, `${JSON.stringify(record('theirs'))}\n`);
    renameSync(temp, history.path);
    await history.append(record('mine-2'));
    assert.deepEqual(ids(history.path), ['theirs', 'mine-2']);
    // Another window clears it (or the storage folder goes away).
    rmSync(dir, { recursive: true, force: true });
    await history.append(record('mine-3'));
    assert.deepEqual(ids(history.path), ['mine-3']);
    assert.deepEqual((await history.read()).map((r) => r.id), ['mine-3']);
    await history.dispose();
  }));

test('history: a record with media or very long text is cut exactly as before, whichever serialization path it takes', () =>
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    await history.append(record('plain', { error: { message: 'says "data":"x" in its text' } }));
    await history.append(
      record('media', { request: { messages: [{ role: 'user', content: { type: 'image', data: 'B'.repeat(100), mimeType: 'image/png' } }], maxTokens: 5 } }),
    );
    const [plain, media] = await history.read();
    assert.equal(plain?.error?.message, 'says "data":"x" in its text');
    assert.deepEqual(media?.request?.messages[0]?.content, { type: 'image', data: '[100 base64 characters omitted]', mimeType: 'image/png' });
    await history.dispose();
  }));

test('history: a reader is told the lines as written and the size it left, so it can add them without reading the file again', () =>
  withDir(async (dir) => {
    const told: string[][] = [];
    const secret = 'sk-told-0123456789';
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100, secrets: () => [secret], onWritten: (lines) => told.push([...lines]) });
    assert.equal(history.writtenBytes, undefined, 'nothing written yet');
    await Promise.all([history.append(record('a', { error: { message: `key ${secret}` } })), history.append(record('b'))]);
    assert.equal(told.length, 1, 'one batch, one call');
    assert.deepEqual(told[0]!.map((l) => (JSON.parse(l) as { id: string }).id), ['a', 'b']);
    assert.doesNotMatch(told[0]!.join('\n'), /sk-told/, 'the lines are the redacted ones');
    assert.equal(history.writtenBytes, readFileSync(history.path).length, 'the size this writer left');
    await history.dispose();
  }));

test('rate limiter: exact over a long run at a high limit (amortized trimming keeps the window right)', () => {
  let now = 0;
  const limiter = new SlidingWindowRateLimiter(60_000, () => now);
  // One request per millisecond for 200 s, at a limit of exactly one window's worth.
  for (now = 0; now < 200_000; now++) assert.ok(limiter.tryAcquire('s', 60_000).ok, `refused at ${now}`);
  now = 199_999;
  // The window (140 000, 199 999] is full: the oldest in it leaves at 200 000.
  assert.deepEqual(limiter.tryAcquire('s', 60_000), { ok: false, retryAfterMs: 1 });
  // A shrunk limit is applied to what the window already holds.
  now = 200_000;
  assert.equal(limiter.tryAcquire('s', 10).ok, false);
  now = 260_000;
  assert.ok(limiter.tryAcquire('s', 10).ok);
});

test('catalog: a provider with a fresh cached list is not asked again, and no timer is started for it', async () => {
  let listed = 0;
  const models: ModelInfo[] = [{ id: 'm1' }];
  const cachedProvider: ModelProvider = {
    id: 'cached',
    label: 'Cached',
    listModels: async () => {
      listed++;
      return models;
    },
    cachedModels: () => (listed > 0 ? models : undefined),
    complete: () => Promise.reject(new Error('not used')),
  };
  const registry = new ProviderRegistry();
  registry.register(cachedProvider);
  const signal = new AbortController().signal;
  await registry.catalog(signal);
  assert.equal(listed, 1);
  const timersBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const catalog = registry.catalog(signal);
  assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, timersBefore, 'no timeout armed for a cached list');
  assert.deepEqual((await catalog).find((e) => e.id === 'cached')?.models, models);
  assert.equal(listed, 1, 'listModels was not called again');
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

let stub: OpenAiStub;
before(async () => {
  stub = await startOpenAiStub();
});
after(async () => {
  await stub.close();
});

test('an auto-approved round trip leaves no timer, no abort listener and no unwritten history behind', () =>
  withDir(async (dir) => {
    const settings: SamplingSettings = {
      ...DEFAULT_SAMPLING_SETTINGS,
      approval: 'auto',
      reviewResponses: false,
      defaultProvider: 'stub',
      providers: [{ id: 'stub', label: 'Stub', baseUrl: stub.baseUrl, defaultModel: 'stub-echo' }],
      limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, requestsPerMinute: 1000 },
    };
    const registry = new ProviderRegistry();
    registry.syncFromSettings(settings.providers, (setting) => new OpenAiCompatibleProvider({ setting, getApiKey: async () => undefined }));
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 1000 });
    const prompter: ApprovalPrompter = {
      open: () => ({
        approve: () => Promise.reject(new Error('not asked in auto')),
        review: () => Promise.reject(new Error('not asked in auto')),
        manualReply: () => Promise.reject(new Error('not asked in auto')),
        notify: () => {},
      }),
    };
    const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter, history, policy: new SamplingPolicy() });
    const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hello' } }], maxTokens: 20 };
    const run = async (n: number) => {
      const controller = new AbortController();
      const ctx: SamplingContext = { requestId: `r${n}`, serverName: 'srv', serverSource: 'settings', route: 'server-request', signal: controller.signal };
      const result = await pipeline(params, ctx);
      assert.equal(result.role, 'assistant');
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, `request ${n} left an abort listener on its signal`);
    };
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await run(0); // warm-up: the model list is fetched and cached, the HTTP agent's sockets open
    await history.flush();
    const before = timers();
    for (let n = 1; n <= 20; n++) await run(n);
    await history.flush();
    assert.equal(timers(), before, 'finished requests left timers behind');
    assert.equal(lines(history.path).length, 21, 'every request is in the history once flushed');
    await history.dispose();
  }));
