/**
 * Resource limits against the hostile fixture server: floods, a 50 MB image, a server that never
 * answers initialize, and one that writes to stderr without end. Nothing may hang, grow without
 * bound, or let one server starve another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { ServerConnection } from '../../src/core/mcp/connection';
import { FakePrompter } from '../support/fakePrompter';
import { callHostile, guardUnhandledRejections, hostileDefinition, hostileWorld, RecordingLogger, startHostileHttp, waitFor } from './hostile-harness';

guardUnhandledRejections();

interface FloodSummary {
  answered: number;
  errors: Record<string, number>;
  messages: string[];
}

test('a flood of 300 requests at once is rate-limited, at most maxPendingPerServer wait, and another server is answered meanwhile', async () => {
  const prompter = new FakePrompter({ approve: (r) => (r.origin.serverName === 'calm' ? { kind: 'approve', params: r.params, choice: r.choice } : 'hold') });
  const logger = new RecordingLogger();
  const world = hostileWorld({ prompter, logger, settings: { limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, requestsPerMinute: 20, maxPendingPerServer: 5 } } });
  try {
    const flooder = await world.connect(hostileDefinition('flooder'));
    const calm = await world.connect(hostileDefinition('calm'));
    const flood = callHostile<FloodSummary>(flooder, 'flood', { count: 300 });
    flood.catch(() => undefined);
    // 20 admitted by the rate limit, 5 of them waiting, 295 refused: all refusals are logged.
    await waitFor(() => logger.lines.filter((l) => /from flooder: refused/.test(l.text)).length === 295, 'the flood to be refused');
    assert.equal(prompter.heldCount, 5);
    assert.equal(world.policy.pendingCount('flooder'), 5);

    const calmAnswer = await callHostile(calm, 'sample', { kind: 'valid', text: 'still served' });
    assert.equal(calmAnswer.ok, true, JSON.stringify(calmAnswer));
    assert.match(JSON.stringify(calmAnswer.result), /echo: still served/);

    prompter.releaseHeld();
    const summary = await flood;
    assert.equal(summary.answered, 0);
    assert.deepEqual(summary.errors, { '-1': 300 });
    const messages = summary.messages.join('\n');
    assert.match(messages, /limit is 20 per minute \(mcpSampling\.limits\.requestsPerMinute\)/);
    assert.match(messages, /mcpSampling\.limits\.maxPendingPerServer/);
    assert.ok(prompter.maxWaiting <= 6, `at most 5 flooder requests (+1 calm) waited at once, saw ${prompter.maxWaiting}`);
    assert.equal(world.policy.pendingCount('flooder'), 0);
    assert.equal(flooder.state.status, 'connected');
  } finally {
    await world.close();
  }
});

// Over stdio one message may be up to the connection's maxMessageBytes (64 MiB): above
// mcpSampling.limits.maxRequestBytes, so the setting's error is what the server gets.
test('over stdio, a 50 MB image is refused with -32602 naming mcpSampling.limits.maxRequestBytes and the server stays connected', async () => {
  const world = hostileWorld({ prompter: new FakePrompter({ approve: () => ({ kind: 'reject', reason: 'reached the human' }) }) });
  try {
    const conn = await world.connect(hostileDefinition('huge-image'));
    const outcome = await callHostile(conn, 'sample', { kind: 'oversized-image', bytes: 50_000_000 });
    assert.equal(outcome.error?.code, -32602, JSON.stringify(outcome));
    assert.match(outcome.error?.message ?? '', /mcpSampling\.limits\.maxRequestBytes/);
    assert.equal(conn.state.status, 'connected');
  } finally {
    await world.close();
  }
});

test('over Streamable HTTP, a 50 MB image is refused with -32602 naming mcpSampling.limits.maxRequestBytes', async () => {
  const server = await startHostileHttp(['--name', 'huge-over-http']);
  const world = hostileWorld({ prompter: new FakePrompter({ approve: () => ({ kind: 'reject', reason: 'reached the human' }) }) });
  try {
    const conn = await world.connect({ name: 'huge-over-http', source: 'test', disabled: false, type: 'http', url: server.url, headers: {} });
    assert.equal(conn.state.status, 'connected', conn.state.error);
    assert.equal(conn.state.transport, 'streamableHttp');
    const outcome = await callHostile(conn, 'sample', { kind: 'oversized-image', bytes: 50_000_000 });
    assert.equal(outcome.error?.code, -32602, JSON.stringify(outcome).slice(0, 500));
    assert.match(outcome.error?.message ?? '', /over the limit of 20971520 bytes set by mcpSampling\.limits\.maxRequestBytes/);
    assert.equal(world.prompter.approvals.length, 0);
    // Still usable afterwards.
    const small = await callHostile(conn, 'sample', { kind: 'valid', text: 'after the big one' });
    assert.equal(small.error?.code, -1, 'the next request reaches the human');
  } finally {
    await world.close();
    await server.stop();
  }
});

test('a stdio server that never answers initialize ends in error after the timeout, and its process is gone', async () => {
  const conn = new ServerConnection({
    definition: hostileDefinition('mute', ['--mode', 'no-init']),
    logger: new RecordingLogger(),
    samplingHandler: async () => {
      throw new Error('unused');
    },
    initializeTimeoutMs: 1000,
    killGraceMs: 300,
  });
  const state = await conn.connect();
  assert.equal(state.status, 'error');
  assert.match(state.error ?? '', /did not answer initialize within 1 s/);
  assert.ok(state.stderrTail.some((l) => l.includes('will never answer initialize')));
  assert.equal(conn.processId, undefined);
  await conn.close();
});

test('an HTTP server that holds initialize open ends in error after the timeout, without hanging', async () => {
  const server = await startHostileHttp(['--mode', 'no-init']);
  const conn = new ServerConnection({
    definition: { name: 'mute-http', source: 'test', disabled: false, type: 'http', url: server.url, headers: {} },
    logger: new RecordingLogger(),
    samplingHandler: async () => {
      throw new Error('unused');
    },
    initializeTimeoutMs: 1000,
  });
  try {
    const state = await conn.connect();
    assert.equal(state.status, 'error');
    assert.match(state.error ?? '', /did not answer initialize within 1 s/);
  } finally {
    await conn.close();
    await server.stop();
  }
});

test('endless stderr: the kept tail stays bounded (ring buffer) while the server keeps working', async () => {
  const logger = new RecordingLogger(false);
  const world = hostileWorld({ logger });
  try {
    const conn = await world.connect(hostileDefinition('noisy', ['--stderr-flood']), { stderrLines: 50 });
    assert.equal(conn.state.status, 'connected', conn.state.error);
    const heapBefore = process.memoryUsage().heapUsed;
    // Let at least 64 MB of stderr go through the connection.
    await waitFor(() => logger.bytes > 64 * 1024 * 1024, '64 MB of stderr', 60_000);
    const tail = conn.stderrTail();
    assert.ok(tail.length <= 50, `tail has ${tail.length} lines`);
    assert.ok(tail.every((l) => l.length <= 4096 + 64), 'each kept line is clipped');
    assert.ok(conn.logLines().length <= 1000);
    const answer = await callHostile(conn, 'sample', { kind: 'valid', text: 'through the noise' });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    // A loose bound: 64 MB went through; what stays is a few hundred kilobytes of tail.
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grown < 48 * 1024 * 1024, `heap grew by ${Math.round(grown / 1048576)} MB`);
  } finally {
    await world.close();
  }
});

test('a flood of large log messages keeps the server log bounded and each line clipped', async () => {
  const logger = new RecordingLogger(false);
  const world = hostileWorld({ logger });
  try {
    const conn = await world.connect(hostileDefinition('chatty'));
    await callHostile(conn, 'log_flood', { count: 3000, bytes: 100_000 });
    await waitFor(() => conn.logLines().some((l) => l.includes('2999 zzz')), 'the last log message');
    const lines = conn.logLines();
    assert.ok(lines.length <= 1000, `${lines.length} lines kept`);
    assert.ok(lines.every((l) => l.length <= 4200), 'each kept line is clipped');
    assert.ok(logger.bytes < 3000 * 5000, 'the log got clipped messages, not 300 MB');
  } finally {
    await world.close();
  }
});

test('a server listing 100,000 tools is cut to the 5000 the client keeps', async () => {
  const world = hostileWorld();
  try {
    const conn = await world.connect(hostileDefinition('toolful', ['--many-tools', '100000']));
    assert.equal(conn.state.status, 'connected', conn.state.error);
    assert.equal(conn.tools.length, 5000);
    assert.equal(conn.tools[0]?.name, 'sample');
  } finally {
    await world.close();
  }
});
