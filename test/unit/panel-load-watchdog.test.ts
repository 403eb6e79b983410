import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebviewLoadWatchdog } from '../../src/vscode/panel/loadWatchdog';

test('a webview that never says ready has its HTML set again after growing waits, then the watchdog gives up once', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const reloads: number[] = [];
  let gaveUp = 0;
  const watchdog = new WebviewLoadWatchdog({ reload: (n) => reloads.push(n), shouldWait: () => true, gaveUp: () => gaveUp++, waitsMs: [100, 200] });
  watchdog.expectReady();
  t.mock.timers.tick(99);
  assert.deepEqual(reloads, [], 'not before the first wait');
  t.mock.timers.tick(1);
  assert.deepEqual(reloads, [1]);
  t.mock.timers.tick(199);
  assert.deepEqual(reloads, [1], 'the second wait is longer');
  t.mock.timers.tick(1);
  assert.deepEqual(reloads, [1, 2]);
  assert.equal(gaveUp, 1);
  t.mock.timers.tick(10_000);
  assert.deepEqual(reloads, [1, 2], 'no more reloads after giving up');
  watchdog.dispose();
});

test('ready stops the watchdog; a hidden panel is not reloaded; expecting again starts over', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const reloads: number[] = [];
  let visible = true;
  const watchdog = new WebviewLoadWatchdog({ reload: (n) => reloads.push(n), shouldWait: () => visible, waitsMs: [100, 200] });
  watchdog.expectReady();
  watchdog.ready();
  t.mock.timers.tick(1_000);
  assert.deepEqual(reloads, [], 'a webview that said ready is left alone');
  visible = false;
  watchdog.expectReady();
  t.mock.timers.tick(1_000);
  assert.deepEqual(reloads, [], 'a hidden webview does not load; nothing to reload');
  visible = true;
  watchdog.expectReady();
  t.mock.timers.tick(100);
  assert.deepEqual(reloads, [1]);
  watchdog.expectReady();
  t.mock.timers.tick(100);
  assert.deepEqual(reloads, [1, 1], 'expecting again (HTML set anew) starts from the first attempt');
  watchdog.dispose();
  t.mock.timers.tick(10_000);
  assert.deepEqual(reloads, [1, 1], 'nothing after dispose');
});
