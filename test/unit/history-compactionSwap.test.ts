/**
 * The compaction's last step against real files: another window's append, clear or compaction
 * between the read and the rename is kept, not undone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readForCompaction, readForCompactionSync, swapIfUnchanged } from '../../src/core/history/compactionSwap';

function files() {
  const dir = mkdtempSync(path.join(tmpdir(), 'history-swap-'));
  const file = path.join(dir, 'history.jsonl');
  const temp = `${file}.tmp`;
  writeFileSync(file, 'a\nb\nc\n');
  return { dir, file, temp, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('unchanged since the read: the compacted copy replaces the file', () => {
  const f = files();
  try {
    const read = readForCompactionSync(f.file)!;
    assert.equal(read.bytes.toString(), 'a\nb\nc\n');
    writeFileSync(f.temp, 'c\n');
    assert.deepEqual(swapIfUnchanged(f.file, f.temp, read), { swapped: true, carried: Buffer.alloc(0) });
    assert.equal(readFileSync(f.file, 'utf8'), 'c\n');
    assert.equal(existsSync(f.temp), false);
  } finally {
    f.done();
  }
});

test('appended by another window after the read: those lines are carried to the end of the copy', async () => {
  const f = files();
  try {
    const read = (await readForCompaction(f.file))!;
    writeFileSync(f.temp, 'c\n');
    appendFileSync(f.file, 'd\ne\n');
    const outcome = swapIfUnchanged(f.file, f.temp, read);
    assert.equal(outcome.swapped, true);
    assert.equal(outcome.swapped && outcome.carried.toString(), 'd\ne\n');
    assert.equal(readFileSync(f.file, 'utf8'), 'c\nd\ne\n');
  } finally {
    f.done();
  }
});

test('cleared by another window after the read: the file stays cleared and the copy is removed', () => {
  const f = files();
  try {
    const read = readForCompactionSync(f.file)!;
    writeFileSync(f.temp, 'c\n');
    rmSync(f.file);
    assert.deepEqual(swapIfUnchanged(f.file, f.temp, read), { swapped: false });
    assert.equal(existsSync(f.file), false, 'the cleared records do not come back');
    assert.equal(existsSync(f.temp), false);
    // Cleared and written again (a new file at the path): the new file stands too.
    writeFileSync(f.file, 'new\n');
    writeFileSync(f.temp, 'c\n');
    assert.deepEqual(swapIfUnchanged(f.file, f.temp, read), { swapped: false });
    assert.equal(readFileSync(f.file, 'utf8'), 'new\n');
  } finally {
    f.done();
  }
});

test('compacted by another window after the read (renamed over): its result stands', () => {
  const f = files();
  try {
    const read = readForCompactionSync(f.file)!;
    writeFileSync(f.temp, 'c\n');
    const other = `${f.file}.other.tmp`;
    writeFileSync(other, 'b\nc\nd\n');
    renameSync(other, f.file);
    assert.deepEqual(swapIfUnchanged(f.file, f.temp, read), { swapped: false });
    assert.equal(readFileSync(f.file, 'utf8'), 'b\nc\nd\n');
  } finally {
    f.done();
  }
});

test('a file that is not there is not read', async () => {
  assert.equal(readForCompactionSync(path.join(tmpdir(), 'no-such-history.jsonl')), undefined);
  assert.equal(await readForCompaction(path.join(tmpdir(), 'no-such-history.jsonl')), undefined);
});
