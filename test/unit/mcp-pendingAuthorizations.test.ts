import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PendingAuthorizations } from '../../src/core/mcp/pendingAuthorizations';

test('a callback reaches only the sign-in that sent its state', async () => {
  const pending = new PendingAuthorizations();
  const first = pending.wait('s1', new AbortController().signal, 10_000);
  const second = pending.wait('s2', new AbortController().signal, 10_000);
  assert.equal(pending.deliver(new URLSearchParams('code=c2&state=s2')), true);
  assert.deepEqual(await second, { code: 'c2', state: 's2' });
  assert.equal(pending.deliver(new URLSearchParams('code=x&state=unknown')), false);
  assert.equal(pending.deliver(new URLSearchParams('code=x')), false);
  assert.equal(pending.deliver(new URLSearchParams('error=access_denied&error_description=no&state=s1')), true);
  await assert.rejects(first, /refused: access_denied \(no\)/);
  assert.equal(pending.size, 0);
});

test('a wait ends on abort, on timeout, and a callback without code is an error', async () => {
  const pending = new PendingAuthorizations();
  const controller = new AbortController();
  const aborted = pending.wait('a', controller.signal, 10_000);
  controller.abort(new Error('Sign-in was cancelled.'));
  await assert.rejects(aborted, /cancelled/);
  await assert.rejects(pending.wait('t', new AbortController().signal, 10), /No sign-in arrived/);
  const noCode = pending.wait('n', new AbortController().signal, 10_000);
  pending.deliver(new URLSearchParams('state=n'));
  await assert.rejects(noCode, /no authorization code/);
  await assert.rejects(pending.wait('', new AbortController().signal, 10_000), /no state/);
  assert.equal(pending.size, 0);
});

test('the number of waiting sign-ins is bounded and a state waits once', async () => {
  const pending = new PendingAuthorizations();
  const controller = new AbortController();
  const waits = Array.from({ length: 16 }, (_, i) => pending.wait(`s${i}`, controller.signal, 10_000));
  await assert.rejects(pending.wait('one-more', controller.signal, 10_000), /Too many/);
  await assert.rejects(pending.wait('s0', controller.signal, 10_000), /already waiting/);
  controller.abort();
  for (const wait of waits) await assert.rejects(wait);
  assert.equal(pending.size, 0);
});
