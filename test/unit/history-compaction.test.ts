import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keepNewest } from '../../src/core/history/historyRecord';

/** What a compaction must keep, said the plain way: split into lines, keep the newest non-blank ones within both bounds. */
function reference(text: string, max: number, keepBytes: number): { text: string; lines: number } {
  const lines = text.split('\n').filter((l) => l !== '');
  const kept: string[] = [];
  let bytes = 0;
  for (let i = lines.length - 1; i >= 0 && kept.length < max; i--) {
    const size = Buffer.byteLength(lines[i]!) + 1;
    if (bytes + size > keepBytes && kept.length > 0) break;
    kept.push(lines[i]!);
    bytes += size;
  }
  return { text: kept.reverse().map((l) => `${l}\n`).join(''), lines: kept.length };
}

const line = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })).map((l) => l.replaceAll('\n', ' '));

test('compaction keeps the same newest lines as splitting the text would, on bytes alone (multi-byte text, torn last line, blank lines), as a tail of the file', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(line, fc.constant('')), { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 400 }), (lines, torn, max, keepBytes) => {
      const text = lines.join('\n') + (torn || lines.length === 0 ? '' : '\n');
      const kept = keepNewest(Buffer.from(text, 'utf8'), max, keepBytes);
      const expected = reference(text, max, keepBytes);
      const out = kept.bytes.toString('utf8');
      // Blank lines between kept ones may stay (reads skip them); the lines that count are the reference's.
      assert.equal(out.split('\n').filter((l) => l !== '').map((l) => `${l}\n`).join(''), expected.text);
      assert.equal(kept.lines, expected.lines);
      // The bytes kept are the file's own tail (a torn last line gains its newline), so nothing is re-encoded.
      const tornLine = text !== '' && !text.endsWith('\n');
      assert.ok(tornLine ? `${text}\n`.endsWith(out) : text.endsWith(out), 'a tail of the file');
      if (out !== '') assert.ok(out.endsWith('\n'));
    }),
    { numRuns: 500 },
  );
});

test('compaction: the newest line is kept even when it alone is over the byte bound; an empty file keeps nothing', () => {
  const kept = keepNewest(Buffer.from('old\nthe newest line is long\n'), 10, 5);
  assert.equal(kept.bytes.toString(), 'the newest line is long\n');
  assert.equal(kept.lines, 1);
  assert.deepEqual(keepNewest(Buffer.alloc(0), 10, 100), { bytes: Buffer.alloc(0), lines: 0 });
});
