import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { SlidingWindowRateLimiter } from '../../src/core/sampling/rateLimiter';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';

function settingsWith(patch: Omit<Partial<SamplingSettings>, 'limits'> & { limits?: Partial<SamplingSettings['limits']> }): SamplingSettings {
  return { ...DEFAULT_SAMPLING_SETTINGS, ...patch, limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, ...patch.limits } };
}

function refusedNaming(pattern: RegExp) {
  return (error: unknown) => error instanceof McpError && error.code === -1 && pattern.test(error.message);
}

test('the sliding window frees a slot exactly when the oldest request leaves it', () => {
  let now = 0;
  const limiter = new SlidingWindowRateLimiter(60_000, () => now);
  assert.ok(limiter.tryAcquire('s', 2).ok);
  now = 10_000;
  assert.ok(limiter.tryAcquire('s', 2).ok);
  now = 30_000;
  const refusedSlot = limiter.tryAcquire('s', 2);
  assert.deepEqual(refusedSlot, { ok: false, retryAfterMs: 30_000 });
  assert.ok(limiter.tryAcquire('other', 2).ok, 'keys are independent');
  now = 60_000;
  assert.ok(limiter.tryAcquire('s', 2).ok);
  assert.equal(limiter.tryAcquire('s', 2).ok, false);
});

test('pause, deny (global and per server) refuse with the setting named', () => {
  const policy = new SamplingPolicy();
  assert.throws(() => policy.admit(settingsWith({ paused: true }), 'a'), refusedNaming(/mcpSampling\.paused/));
  assert.throws(() => policy.admit(settingsWith({ approval: 'deny' }), 'a'), refusedNaming(/mcpSampling\.approval = "deny"/));
  assert.throws(
    () => policy.admit(settingsWith({ approval: 'auto', serverSampling: { a: { approval: 'deny' } } }), 'a'),
    refusedNaming(/mcpSampling\.serverSampling\["a"\]\.approval = "deny"/),
  );
  assert.equal(policy.admit(settingsWith({ approval: 'deny', serverSampling: { a: { approval: 'auto' } } }), 'a').mode, 'auto');
});

test('session allow turns ask into auto for that server only, until revoked', () => {
  const policy = new SamplingPolicy();
  const settings = settingsWith({});
  assert.equal(policy.admit(settings, 'a').mode, 'ask');
  policy.allowForSession('a');
  assert.deepEqual(policy.admit(settings, 'a'), { mode: 'auto', reason: { kind: 'allowed-for-session' } });
  assert.equal(policy.admit(settings, 'b').mode, 'ask');
  policy.revokeSession('a');
  assert.equal(policy.admit(settings, 'a').mode, 'ask');
});

test('rate limit per server, with a per-server override', () => {
  let now = 0;
  const policy = new SamplingPolicy(() => now);
  const settings = settingsWith({ limits: { requestsPerMinute: 2 }, serverSampling: { fast: { requestsPerMinute: 3 } } });
  policy.admit(settings, 'a');
  policy.admit(settings, 'a');
  assert.throws(() => policy.admit(settings, 'a'), refusedNaming(/2 per minute \(mcpSampling\.limits\.requestsPerMinute\)/));
  for (let i = 0; i < 3; i++) policy.admit(settings, 'fast');
  assert.throws(() => policy.admit(settings, 'fast'), refusedNaming(/serverSampling\["fast"\]\.requestsPerMinute/));
  now = 61_000;
  assert.equal(policy.admit(settings, 'a').mode, 'ask');
});

test('pending approvals are bounded per server and released once', () => {
  const policy = new SamplingPolicy();
  const settings = settingsWith({ limits: { maxPendingPerServer: 2 } });
  const r1 = policy.acquirePending(settings, 'a');
  policy.acquirePending(settings, 'a');
  assert.throws(() => policy.acquirePending(settings, 'a'), refusedNaming(/mcpSampling\.limits\.maxPendingPerServer/));
  policy.acquirePending(settings, 'b');
  r1();
  r1();
  assert.equal(policy.pendingCount('a'), 1);
  policy.acquirePending(settings, 'a');
  assert.equal(policy.pendingCount('a'), 2);
});
