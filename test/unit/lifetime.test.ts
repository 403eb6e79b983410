import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/events';
import { DisposableStore, onAbort, toDisposable } from '../../src/core/lifetime';

test('DisposableStore disposes in reverse order of adding, and add returns what it was given', () => {
  const store = new DisposableStore();
  const order: string[] = [];
  const first = toDisposable(() => order.push('first'));
  assert.equal(store.add(first), first);
  store.add(toDisposable(() => order.push('second')));
  store.add({ dispose: () => order.push('third') });
  store.dispose();
  assert.deepEqual(order, ['third', 'second', 'first']);
  assert.equal(store.isDisposed, true);
});

test('DisposableStore.dispose is idempotent, and what is added afterwards is disposed at once', () => {
  const store = new DisposableStore();
  let count = 0;
  store.add({ dispose: () => count++ });
  store.dispose();
  store.dispose();
  assert.equal(count, 1);
  let late = 0;
  store.add({ dispose: () => late++ });
  assert.equal(late, 1, 'a listener added to an ended lifetime does not outlive it');
  store.dispose();
  assert.equal(late, 1);
});

test('a disposer that throws does not stop the others; its error is rethrown after all ran', () => {
  const store = new DisposableStore();
  const ran: string[] = [];
  store.add({ dispose: () => ran.push('a') });
  store.add({
    dispose: () => {
      throw new Error('b failed');
    },
  });
  store.add({ dispose: () => ran.push('c') });
  assert.throws(() => store.dispose(), /b failed/);
  assert.deepEqual(ran, ['c', 'a']);
});

test('several failing disposers surface as one AggregateError holding each', () => {
  const store = new DisposableStore();
  let ran = false;
  store.add({ dispose: () => (ran = true) });
  for (const name of ['x', 'y']) {
    store.add({
      dispose: () => {
        throw new Error(name);
      },
    });
  }
  assert.throws(
    () => store.dispose(),
    (error: unknown) => error instanceof AggregateError && error.errors.map((e: Error) => e.message).join() === 'y,x',
  );
  assert.equal(ran, true);
});

test('toDisposable runs its callback once; a store ends listeners on an emitter it does not own', () => {
  let count = 0;
  const once = toDisposable(() => count++);
  once.dispose();
  once.dispose();
  assert.equal(count, 1);
  const emitter = new Emitter<number>();
  const seen: number[] = [];
  const store = new DisposableStore();
  store.add(emitter.event((n) => seen.push(n)));
  emitter.fire(1);
  store.dispose();
  emitter.fire(2);
  assert.deepEqual(seen, [1]);
});

test('onAbort calls its listener once on abort, and not at all once disposed', () => {
  const heard: string[] = [];
  const kept = new AbortController();
  onAbort(kept.signal, () => heard.push('kept'));
  const ended = new AbortController();
  const request = new DisposableStore();
  request.add(onAbort(ended.signal, () => heard.push('ended')));
  request.dispose();
  kept.abort();
  kept.abort();
  ended.abort();
  assert.deepEqual(heard, ['kept']);
});
