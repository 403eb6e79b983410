import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OneAtATime } from '../../src/core/config/oneAtATime';

/** An ask the test finishes by hand, recording when it started. */
function pendingAsk(log: string[], name: string) {
  let finish!: (value: string) => void;
  const ask = () => {
    log.push(`start ${name}`);
    return new Promise<string>((resolve) => (finish = resolve));
  };
  return { ask, finish: (value: string) => finish(value) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('asks run one at a time, in the order they came', async () => {
  const queue = new OneAtATime();
  const log: string[] = [];
  const a = pendingAsk(log, 'a');
  const b = pendingAsk(log, 'b');
  const ra = queue.run(a.ask);
  const rb = queue.run(b.ask);
  await settle();
  assert.deepEqual(log, ['start a'], 'b waits while a is open');
  a.finish('A');
  assert.equal(await ra, 'A');
  await settle();
  assert.deepEqual(log, ['start a', 'start b']);
  b.finish('B');
  assert.equal(await rb, 'B');
});

test('an ask whose signal aborts while it waits resolves undefined; the next still waits for the open one', async () => {
  const queue = new OneAtATime();
  const log: string[] = [];
  const a = pendingAsk(log, 'a');
  const c = pendingAsk(log, 'c');
  const abort = new AbortController();
  const ra = queue.run(a.ask);
  const rb = queue.run(() => Promise.resolve('never asked'), abort.signal);
  const rc = queue.run(c.ask);
  abort.abort(new Error('server closed'));
  assert.equal(await rb, undefined);
  await settle();
  assert.deepEqual(log, ['start a'], 'c does not start while a is still open');
  a.finish('A');
  await ra;
  await settle();
  assert.deepEqual(log, ['start a', 'start c']);
  c.finish('C');
  assert.equal(await rc, 'C');
});

test('a failed ask lets the next one run and rejects with its own error', async () => {
  const queue = new OneAtATime();
  const failed = queue.run(() => Promise.reject(new Error('no box')));
  const next = queue.run(() => Promise.resolve('ok'));
  await assert.rejects(failed, /no box/);
  assert.equal(await next, 'ok');
});
