import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OneAtATime, Rerun } from '../../src/core/async';

test('calls while a run is going ask for exactly one more run, which sees what changed meanwhile', async () => {
  let source = 'old';
  let runs = 0;
  let release!: () => void;
  const rerun = new Rerun(async () => {
    runs++;
    const read = source;
    if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    return read;
  });
  const first = rerun.run();
  // The change lands after the running one read its input.
  source = 'new';
  const second = rerun.run();
  const third = rerun.run();
  assert.equal(second, third, 'one more run for every call made meanwhile');
  release();
  assert.equal(await first, 'old');
  assert.equal(await second, 'new');
  assert.equal(runs, 2);
  // Idle again: a call starts a run at once.
  assert.equal(await rerun.run(), 'new');
  assert.equal(runs, 3);
});

test('a run that fails still lets the next one run, and its callers get the failure', async () => {
  let runs = 0;
  const rerun = new Rerun(async () => {
    runs++;
    if (runs === 1) throw new Error('unreadable');
    return runs;
  });
  const failing = rerun.run();
  const after = rerun.run();
  await assert.rejects(failing, /unreadable/);
  assert.equal(await after, 2);
});

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
