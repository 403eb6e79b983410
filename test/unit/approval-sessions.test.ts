// The pipeline against the real approval queue (the panel's model), with nobody clicking unless a test
// says so: `auto` is auto (issue 13 item 10) and per-server caps hold (item 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApprovalQueue, type QueueEvent } from '../../src/core/approval/queue';
import { silentLogger } from '../../src/core/logger';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type { SamplingContext } from '../../src/core/sampling/types';
import { EchoProvider } from '../support/echoProvider';
import { waitFor } from '../support/waitFor';

function world(settings: Partial<SamplingSettings>) {
  const events: QueueEvent[] = [];
  const counts: number[] = [];
  const queue = new ApprovalQueue(silentLogger, { changed: (e) => events.push(e), attention: () => {}, pendingCountChanged: (n) => counts.push(n) });
  const registry = new ProviderRegistry(silentLogger);
  registry.register(new EchoProvider());
  const current: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: 'echo', ...settings };
  const policy = new SamplingPolicy();
  const pipeline = createSamplingPipeline({ config: { get: () => current }, providers: registry, prompter: queue, policy, logger: silentLogger, progressIntervalMs: 20 });
  let n = 0;
  const sample = (serverName: string, text: string, extra: Partial<SamplingContext> = {}) =>
    pipeline(
      { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 50 },
      { requestId: `r${++n}`, serverName, serverSource: 'test', route: 'server-request', signal: new AbortController().signal, ...extra },
    );
  return { queue, events, counts, policy, sample, settings: current };
}

test('a flood of auto-approved requests nobody clicks: every admitted answer returns, refusals past the rate limit name the limit', async () => {
  // The defaults a user has: reviewResponses on, 30 requests per minute; the server is set to auto.
  const w = world({ serverSampling: { flooder: { approval: 'auto' } } });
  assert.equal(w.settings.reviewResponses, true, 'review is on globally, as by default');
  const results = await Promise.allSettled(Array.from({ length: 45 }, (_, i) => w.sample('flooder', `q${i}`)));
  const answered = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(answered.length, 30, 'every request within the rate limit is answered without a person');
  assert.equal(refused.length, 15);
  for (const r of refused) {
    assert.equal((r.reason as { code?: number }).code, -1);
    assert.match(String((r.reason as Error).message), /the limit is 30 per minute \(mcpSampling\.limits\.requestsPerMinute\)/);
  }
  for (const r of answered) assert.match(JSON.stringify((r as PromiseFulfilledResult<unknown>).value), /echo: q\d+/);
  assert.equal(w.events.length, 0, 'nothing was put in front of a person');
  assert.equal(w.queue.pendingCount(), 0);
});

test('"allow for this session" and "always allow" are auto too: no review afterwards', async () => {
  const w = world({ approval: 'ask' });
  const first = w.sample('srv', 'first');
  await waitFor('the approval card', () => w.queue.pendingCount() === 1);
  assert.equal(w.queue.act('r1', { type: 'approve', remember: 'session' }), 'done');
  // The first answer was approved by a person: its review applies (reviewResponses is on).
  await waitFor('the review of the first answer', () => w.queue.get('r1')?.step === 'review');
  assert.equal(w.queue.act('r1', { type: 'accept-response' }), 'done');
  await first;
  const second = await w.sample('srv', 'second');
  assert.match(JSON.stringify(second), /echo: second/);
  assert.equal(w.queue.get('r2'), undefined, 'the session-allowed request was answered without being shown');
});

test('while a request waits for a person the server gets progress and the count includes it; an answer in review counts against maxPendingPerServer', async () => {
  const w = world({ approval: 'auto', serverSampling: { reviewer: { reviewResponses: true } }, limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, maxPendingPerServer: 1 } });
  const progress: string[] = [];
  const inReview = w.sample('reviewer', 'check me', { reportProgress: (m) => progress.push(m) });
  await waitFor('the answer in review', () => w.queue.get('r1')?.step === 'review');
  assert.equal(w.queue.pendingCount(), 1, 'the status bar counts the answer waiting for review');
  assert.ok(w.counts.includes(1));
  await waitFor('progress notifications while the person reviews', () => progress.filter((m) => /reviewed/.test(m)).length >= 2);
  await assert.rejects(w.sample('reviewer', 'second'), /already has 1 sampling requests waiting for a person .*mcpSampling\.limits\.maxPendingPerServer/);
  assert.equal(w.queue.act('r1', { type: 'accept-response' }), 'done');
  await inReview;
  assert.equal(w.policy.pendingCount('reviewer'), 0, 'the slot is released when the request ends');
});
