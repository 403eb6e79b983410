import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pbkdf2 } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonlHistory, type HistoryRecord } from '../../src/core/history/history';
import { MAX_HISTORY_STRING } from '../../src/core/history/historyRecord';

function record(n: number, patch: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    version: 1,
    id: `r${n}`,
    serverName: 'srv',
    serverSource: 'settings',
    route: 'server-request',
    receivedAt: n,
    finishedAt: n + 1,
    latencyMs: 1,
    outcome: 'answered',
    decision: 'auto',
    request: { messages: [{ role: 'user', content: { type: 'text', text: `question ${n}` } }], maxTokens: 10 },
    ...patch,
  };
}

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'history-test-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'appends survive a torn last line: it is skipped on read and the next record starts on a new line',
  withDir(async (dir) => {
    const file = path.join(dir, 'history.jsonl');
    writeFileSync(file, `${JSON.stringify(record(1))}\n`);
    appendFileSync(file, JSON.stringify(record(2)).slice(0, 40)); // a crash mid-write
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    assert.deepEqual((await history.read()).map((r) => r.id), ['r1']);
    await history.append(record(3));
    assert.deepEqual((await history.read()).map((r) => r.id), ['r1', 'r3']);
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 4, 'good, torn, good, and the final newline');
  }),
);

test(
  'the bound is respected: reads return at most maxEntries, the file is compacted to the newest',
  withDir(async (dir) => {
    let max = 20;
    const history = new JsonlHistory({ directory: dir, maxEntries: () => max });
    for (let i = 1; i <= 75; i++) await history.append(record(i));
    const records = await history.read();
    assert.equal(records.length, 20);
    assert.equal(records[19]?.id, 'r75');
    assert.equal(records[0]?.id, 'r56');
    const lineCount = readFileSync(history.path, 'utf8').trim().split('\n').length;
    assert.ok(lineCount <= 20 + 10, `file holds ${lineCount} lines`);
    // A second instance (e.g. after a restart) sees the same newest entries.
    const reopened = new JsonlHistory({ directory: dir, maxEntries: () => max });
    assert.deepEqual((await reopened.read()).map((r) => r.id), records.map((r) => r.id));
    max = 0;
    await history.append(record(76));
    assert.deepEqual(await history.read(), []);
  }),
);

test(
  'secrets are redacted and media data is dropped before writing',
  withDir(async (dir) => {
    const secret = 'sk-live-abcdef123456';
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 10, secrets: () => [secret] });
    await history.append(
      record(1, {
        request: { messages: [{ role: 'user', content: [{ type: 'text', text: `my key is ${secret}` }, { type: 'image', data: 'A'.repeat(10_000), mimeType: 'image/png' }] }], maxTokens: 5 },
        error: { message: `provider said ${secret}` },
      }),
    );
    const text = readFileSync(history.path, 'utf8');
    assert.doesNotMatch(text, /sk-live/);
    assert.match(text, /my key is \[redacted\]/);
    assert.match(text, /\[10000 base64 characters omitted\]/);
    assert.ok(text.length < 2000);
  }),
);

test(
  'a secret across the cut of a very long text is redacted, not left half there',
  withDir(async (dir) => {
    const secret = 'sk-live-abcdef123456';
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 10, secrets: () => [secret] });
    // The secret (20 characters) starts 15 before the 64 KiB cut; redacted, the text fits.
    const text = `${'x'.repeat(MAX_HISTORY_STRING - 15)}${secret}tail`;
    await history.append(record(1, { request: { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 5 } }));
    const written = readFileSync(history.path, 'utf8');
    assert.doesNotMatch(written, /sk-liv|sk-l/);
    assert.match(written, /x\[redacted\]tail"/, 'redacted first; the shorter text then fits');
  }),
);

test(
  'a torn last line left by another window does not swallow the next record',
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    await history.append(record(1));
    // Another window's extension host was killed in the middle of its write.
    appendFileSync(history.path, '{"version":1,"id":"torn');
    await history.append(record(2));
    await history.append(record(3));
    assert.deepEqual((await history.read()).map((r) => r.id), ['r1', 'r2', 'r3']);
  }),
);

test(
  'concurrent appends are serialized into whole lines',
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 1000 });
    await Promise.all(Array.from({ length: 50 }, (_, i) => history.append(record(i))));
    const records = await history.read();
    assert.equal(records.length, 50);
    assert.deepEqual(new Set(records.map((r) => r.id)).size, 50);
  }),
);

test(
  'huge requests are cut: long texts shortened, and a record still too large keeps only its metadata',
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 10 });
    await history.append(record(1, { request: { messages: [{ role: 'user', content: { type: 'text', text: 'x'.repeat(2_000_000) } }], maxTokens: 5 } }));
    const many = Array.from({ length: 200 }, () => ({ role: 'user' as const, content: { type: 'text' as const, text: 'y'.repeat(10_000) } }));
    await history.append(record(2, { request: { messages: many, maxTokens: 5 } }));
    const lines = readFileSync(history.path, 'utf8').trim().split('\n');
    assert.ok(lines.every((l) => l.length <= 1024 * 1024), 'every line under 1 MB');
    const [first, second] = await history.read();
    const text = (first?.request?.messages[0]?.content as { text: string }).text;
    assert.match(text, /… \[1934464 characters omitted\]$/);
    assert.equal(second?.request, undefined);
    assert.equal(second?.id, 'r2');
    assert.match(second?.error?.message ?? '', /too large/);
  }),
);

test(
  'while a write is held up, later records join one waiting batch instead of queueing a write each (the queue cannot fall further behind)',
  withDir(async (dir) => {
    // Hold the thread pool (where the first write opens the file) with CPU work, as a busy extension
    // host holds up the history's asynchronous steps, then append one record per event-loop turn.
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const busy = Array.from({ length: poolSize }, () => new Promise<void>((resolve) => pbkdf2('x', 'salt', 400_000, 32, 'sha256', () => resolve())));
    const writes: number[] = [];
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100, onWritten: (lines) => writes.push(lines.length) });
    const appended: Promise<void>[] = [];
    for (let i = 1; i <= 20; i++) {
      appended.push(history.append(record(i)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all([...appended, ...busy]);
    assert.deepEqual(writes, [1, 19], 'the first record is written alone, the 19 appended while it waited in one write');
    assert.deepEqual((await history.read()).map((r) => r.id), Array.from({ length: 20 }, (_, i) => `r${i + 1}`));
  }),
);

test(
  'a record appended after clear() is kept: clear closes the waiting batch to later appends',
  withDir(async (dir) => {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    await history.append(record(1));
    void history.append(record(2));
    const cleared = history.clear();
    const after = history.append(record(3));
    await Promise.all([cleared, after]);
    assert.deepEqual((await history.read()).map((r) => r.id), ['r3']);
  }),
);
