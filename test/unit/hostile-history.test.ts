/**
 * History durability: the JSONL file stays bounded, media never bloats it, and a crash mid-write
 * (a torn last line, or a writer process killed while appending) loses at most that last line.
 * Run with HISTORY_WRITER=<dir> this file is instead the writer process that gets killed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JsonlHistory, type HistoryRecord } from '../../src/core/history/history';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { callHostile, guardUnhandledRejections, hostileDefinition, hostileWorld, waitFor } from './hostile-harness';

function record(id: string, text = 'hello', extra: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    version: 1,
    id,
    serverName: 'srv',
    serverSource: 'test',
    route: 'server-request',
    receivedAt: 1,
    finishedAt: 2,
    latencyMs: 1,
    outcome: 'answered',
    decision: 'auto',
    request: { messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 10 },
    ...extra,
  };
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

const writerDir = process.env['HISTORY_WRITER'];
if (writerDir) {
  // The writer process: appends big records until it is killed.
  const history = new JsonlHistory({ directory: writerDir, maxEntries: () => 10_000 });
  void (async () => {
    for (let i = 0; i < 100_000; i++) await history.append(record(`w-${i}`, `${i} `.repeat(200_000)));
  })();
} else {
  guardUnhandledRejections();

  const withDir = async (body: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'history-durability-'));
    try {
      await body(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test('the file stays bounded by maxEntries (plus a small slack) and keeps the newest records in order', () =>
    withDir(async (dir) => {
      const history = new JsonlHistory({ directory: dir, maxEntries: () => 20 });
      let most = 0;
      for (let i = 0; i < 200; i++) {
        await history.append(record(`r-${i}`));
        most = Math.max(most, lines(history.path).length);
      }
      assert.ok(most <= 30, `the file held up to ${most} lines`);
      const kept = await history.read();
      assert.deepEqual(kept.map((r) => r.id), Array.from({ length: 20 }, (_, i) => `r-${180 + i}`));
      assert.equal(statSync(history.path).mode & 0o777, 0o600, 'only the user can read the history');
    }));

  test('media is stored as a size note, so a 50 MB image does not bloat the history', () =>
    withDir(async (dir) => {
      const history = new JsonlHistory({ directory: dir, maxEntries: () => 10 });
      const image = 'A'.repeat(50_000_000);
      await history.append({ ...record('img'), request: { messages: [{ role: 'user', content: { type: 'image', mimeType: 'image/png', data: image } }], maxTokens: 10 } });
      assert.ok(statSync(history.path).size < 2000, `history line is ${statSync(history.path).size} bytes`);
      assert.match(readFileSync(history.path, 'utf8'), /\[50000000 base64 characters omitted\]/);
    }));

  test('a torn last line (crash mid-write) is skipped on reading, and the next append starts a fresh line', () =>
    withDir(async (dir) => {
      const first = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
      for (let i = 0; i < 5; i++) await first.append(record(`t-${i}`));
      const size = statSync(first.path).size;
      const lastLine = lines(first.path).at(-1)!;
      truncateSync(first.path, size - Math.floor(lastLine.length / 2));
      // After a restart: a new instance reads what is left and appends after the torn line.
      const second = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
      assert.deepEqual((await second.read()).map((r) => r.id), ['t-0', 't-1', 't-2', 't-3']);
      await second.append(record('after-crash'));
      assert.deepEqual((await second.read()).map((r) => r.id), ['t-0', 't-1', 't-2', 't-3', 'after-crash']);
      // Garbage lines anywhere are skipped too.
      writeFileSync(second.path, `not json\n{"version":2}\n${readFileSync(second.path, 'utf8')}`);
      assert.equal((await new JsonlHistory({ directory: dir, maxEntries: () => 100 }).read()).length, 5);
    }));

  test('a writer process killed while appending loses at most its last, partial line', () =>
    withDir(async (dir) => {
      const file = path.join(dir, 'history.jsonl');
      const child = spawn(process.execPath, [__filename], { env: { ...process.env, HISTORY_WRITER: dir }, stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        // Each record is about 1.4 MB; kill once several are on disk, most likely mid-write.
        await waitFor(() => {
          try {
            return statSync(file).size > 6_000_000;
          } catch {
            return false;
          }
        }, 'the writer to write', 30_000);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const raw = readFileSync(file, 'utf8').split('\n');
      const whole = raw.slice(0, -1);
      assert.ok(whole.length >= 3);
      for (const line of whole) assert.doesNotThrow(() => JSON.parse(line), 'every newline-terminated line is a whole record');
      const history = new JsonlHistory({ directory: dir, maxEntries: () => 10_000 });
      const records = await history.read();
      assert.deepEqual(records.map((r) => r.id), whole.map((_, i) => `w-${i}`), 'only the unterminated tail (if any) is lost');
      await history.append(record('after-kill'));
      assert.equal((await history.read()).at(-1)?.id, 'after-kill');
    }));

  // Every refusal is recorded; long texts are cut (64 KiB per string, 1 MB per line), so a flood of
  // large requests cannot fill the disk or make compaction read a file too big for one string.
  test('a flood of large rate-limited requests does not fill the history with their text', () =>
    withDir(async (dir) => {
      const history = new JsonlHistory({ directory: dir, maxEntries: () => 1000 });
      const world = hostileWorld({ history, settings: { approval: 'auto', limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, requestsPerMinute: 2 } } });
      try {
        const conn = await world.connect(hostileDefinition('bulky'));
        const summary = await callHostile<{ answered: number; errors: Record<string, number> }>(conn, 'flood', { count: 40, bytes: 1_000_000 });
        assert.equal(summary.answered, 2);
        assert.equal(summary.errors['-1'], 38);
      } finally {
        await world.close();
      }
      await waitFor(() => {
        try {
          return lines(history.path).length === 40;
        } catch {
          return false;
        }
      }, 'all 40 records');
      const size = statSync(history.path).size;
      // Two answered requests of 1 MB each may be kept whole; 38 refusals should not add 38 MB.
      assert.ok(size < 5_000_000, `the history holds ${Math.round(size / 1e6)} MB after 38 refusals`);
      assert.ok(lines(history.path).every((l) => l.length <= 1024 * 1024), 'every line is at most 1 MB');
    }));

  // Entries alone (1000 + slack, each line up to 1 MB) would allow ~1.25 GB, past what one string can
  // hold (scan, compact and read load the file whole); the byte bound keeps it far below that.
  test('the history file stays under a byte bound that one string can hold (near-1 MB records)', () =>
    withDir(async (dir) => {
      const history = new JsonlHistory({ directory: dir, maxEntries: () => 1000 });
      const chunk = 'q'.repeat(60 * 1024);
      const messages = Array.from({ length: 16 }, () => ({ role: 'user' as const, content: { type: 'text' as const, text: chunk } }));
      for (let i = 0; i < 80; i++) await history.append({ ...record(`big-${i}`), outcome: 'rejected', request: { messages, maxTokens: 10 } });
      const size = statSync(history.path).size;
      assert.ok(size < 64 * 1024 * 1024, `80 refused requests made a ${Math.round(size / 1048576)} MiB history (1000 would make ~1 GB)`);
    }));
}
