/**
 * ListSubscription's schedule, with the clock in the test's hands: how many times a server may end
 * the `subscriptions/listen` stream before the connection stops asking, and what a stream closed
 * without its result does. The client is a small stand-in that records each listen request and lets
 * the test end it; the HTTP behaviour itself is tested against the real fixture in
 * mcp-modern-listen.test.ts.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ListSubscription } from '../../src/core/mcp/listSubscription';
import type { ClientSdk, SdkClient } from '../../src/core/mcp/sdk';
import type { Logger } from '../../src/core/logger';

interface Listen {
  end(): void;
  readonly signal: AbortSignal;
}

function setup(t: TestContext) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const lines: string[] = [];
  const logger: Logger = {
    trace() {},
    debug: (m) => lines.push(`debug ${m}`),
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  const listens: Listen[] = [];
  const client = {
    transport: {},
    getServerCapabilities: () => ({ tools: { listChanged: true } }),
    request: (_request: unknown, _schema: unknown, options: { signal: AbortSignal }) =>
      new Promise((resolve, reject) => {
        listens.push({ end: () => resolve({}), signal: options.signal });
        options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
      }),
  } as unknown as SdkClient;
  const sdk = { types: { ResultSchema: {} } } as unknown as ClientSdk;
  const subscription = new ListSubscription({ name: 's', logger, redact: (text) => text }, sdk, client);
  t.after(() => subscription.dispose());
  /** Lets the promise chains run (setImmediate is not mocked). */
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { subscription, listens, lines, settle, tick: (ms: number) => t.mock.timers.tick(ms) };
}

test('a server that ends the stream soon after each open is asked 20 times, then no more, with a warning', async (t) => {
  const s = setup(t);
  s.subscription.start();
  await s.settle();
  for (let i = 0; i < 25; i++) {
    s.listens.at(-1)!.end();
    await s.settle();
    s.tick(1000);
    await s.settle();
  }
  assert.equal(s.listens.length, 20);
  assert.ok(s.lines.some((l) => /^warn \[s\] ended the list-change stream 20 times, each within a minute of opening it/.test(l)), s.lines.join('\n'));
});

test('streams that stay open for minutes may end any number of times: the count starts again', async (t) => {
  const s = setup(t);
  s.subscription.start();
  await s.settle();
  for (let i = 0; i < 25; i++) {
    s.tick(120_000);
    s.listens.at(-1)!.end();
    await s.settle();
    s.tick(1000);
    await s.settle();
  }
  assert.equal(s.listens.length, 26, 'opened again after every end');
  assert.ok(!s.lines.some((l) => l.startsWith('warn')), s.lines.join('\n'));
});

test('a stream closed without its result is ended after the grace and opened again; one with its result is not ended', async (t) => {
  const s = setup(t);
  s.subscription.start();
  await s.settle();
  // Closed with no result: the request would wait for ever.
  s.subscription.streamEnded();
  s.tick(99);
  await s.settle();
  assert.equal(s.listens[0]!.signal.aborted, false, 'a result may still be on its way');
  s.tick(1);
  await s.settle();
  assert.equal(s.listens[0]!.signal.aborted, true);
  assert.ok(s.lines.some((l) => l === 'debug [s] the server closed the list-change stream without a result'), s.lines.join('\n'));
  s.tick(1000);
  await s.settle();
  assert.equal(s.listens.length, 2, 'opened again after the base delay, not backed off as a failure');
  // The result arrives with the end of its response: the grace passes and nothing is ended.
  s.listens[1]!.end();
  s.subscription.streamEnded();
  await s.settle();
  s.tick(1000);
  await s.settle();
  assert.equal(s.listens.length, 3);
  assert.equal(s.listens[2]!.signal.aborted, false, 'the new request is not ended by the old end');
  assert.ok(!s.lines.some((l) => l.startsWith('warn') || /failed/.test(l)), s.lines.join('\n'));
});
