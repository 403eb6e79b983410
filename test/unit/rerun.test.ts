import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rerun } from '../../src/core/rerun';

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
