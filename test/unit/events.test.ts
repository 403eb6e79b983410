import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/events';

test('Emitter delivers to every listener even when one throws, and stops after dispose', () => {
  const emitter = new Emitter<number>();
  const seen: number[] = [];
  emitter.event(() => {
    throw new Error('listener failure');
  });
  const sub = emitter.event((n) => seen.push(n));
  emitter.fire(1);
  sub.dispose();
  emitter.fire(2);
  assert.deepEqual(seen, [1]);
});
