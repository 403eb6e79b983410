import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JsonlHistory, type HistoryRecord } from '../../src/core/history/history';

function record(id: string, text: string): HistoryRecord {
  return {
    version: 1,
    id,
    serverName: 'srv',
    serverSource: 'settings',
    route: 'server-request',
    receivedAt: 0,
    latencyMs: 1,
    decision: 'auto',
    outcome: 'answered',
    request: { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 10 },
  } as HistoryRecord;
}

test('the byte bound drops the oldest entries and keeps the newest whole', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'history-bytes-'));
  try {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 1000, maxBytes: 8 * 1024 });
    for (let i = 0; i < 30; i++) await history.append(record(`r${i}`, 'x'.repeat(1000)));
    const bytes = Buffer.byteLength(await readFile(history.path, 'utf8'));
    assert.ok(bytes <= 8 * 1024, `file is ${bytes} bytes`);
    const ids = (await history.read()).map((r) => r.id);
    assert.ok(ids.length >= 4, `kept ${ids.length} records`);
    assert.equal(ids.at(-1), 'r29', 'the newest record is kept');
    assert.deepEqual(ids, [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))), 'order is kept');
    assert.ok(!ids.includes('r0'), 'the oldest record went first');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('appending after the storage directory was removed makes it again and keeps the record', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'history-gone-'));
  try {
    const history = new JsonlHistory({ directory: path.join(dir, 'storage'), maxEntries: () => 10 });
    await history.append(record('before', 'a'));
    await rm(path.join(dir, 'storage'), { recursive: true, force: true });
    await history.append(record('after', 'b'));
    assert.deepEqual((await history.read()).map((r) => r.id), ['after']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
