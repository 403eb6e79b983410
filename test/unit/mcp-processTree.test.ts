import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive, killProcessTree, listDescendants } from '../../src/core/mcp/processTree';
import { LineRingBuffer } from '../../src/core/mcp/lineBuffer';
import { waitFor } from '../fixtures/fixtureServers';

// A child that ignores SIGTERM and starts a grandchild that ignores it too, then prints both pids.
const stubborn = `
process.on('SIGTERM', () => {});
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
console.log(JSON.stringify({ child: process.pid, grandchild: g.pid }));
setInterval(() => {}, 1000);
`;

test('killProcessTree finds descendants and escalates to SIGKILL when SIGTERM is ignored', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['-e', stubborn], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const pids = await waitFor(() => (out.includes('}') ? (JSON.parse(out) as { child: number; grandchild: number }) : undefined), 10_000, 'the pids');
  assert.equal(pids.child, child.pid);
  assert.deepEqual(await listDescendants(pids.child), [pids.grandchild]);
  assert.ok(isAlive(pids.child) && isAlive(pids.grandchild));
  await killProcessTree(pids.child, 200);
  await waitFor(() => !isAlive(pids.child) && !isAlive(pids.grandchild), 5000, 'both to be gone');
  assert.equal(isAlive(pids.grandchild), false);
});

test('listDescendants of a process without children is empty; isAlive of an exited pid is false', { timeout: 30_000 }, async () => {
  const lonely = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
  await new Promise((r) => lonely.once('spawn', r));
  assert.deepEqual(await listDescendants(lonely.pid!), []);
  const exited = new Promise((r) => lonely.once('exit', r));
  lonely.kill('SIGKILL');
  await exited;
  assert.equal(isAlive(lonely.pid!), false);
});

test('LineRingBuffer keeps the last lines, bounds long lines and partial lines', () => {
  const buffer = new LineRingBuffer(3, 10);
  assert.deepEqual(buffer.write('a\nb\r\nc'), ['a', 'b']);
  assert.deepEqual(buffer.tail(), ['a', 'b', 'c'], 'the partial line shows in the tail');
  buffer.write('\nd\ne\n');
  assert.deepEqual(buffer.tail(), ['c', 'd', 'e']);
  const long = buffer.write('x'.repeat(25));
  assert.equal(long.length, 1, 'an endless line is cut into a line of its own');
  assert.match(long[0]!, /^x{10}… \(15 more characters\)$/);
  buffer.write('short');
  assert.equal(buffer.flush(), 'short');
  assert.equal(buffer.flush(), undefined);
  buffer.clear();
  assert.deepEqual(buffer.tail(), []);
});
