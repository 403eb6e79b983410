import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearReadBuffer, installLinearReadBuffer } from '../../src/core/mcp/stdioReadBuffer';

const parse = (line: string): unknown => JSON.parse(line);

function drain(buffer: LinearReadBuffer): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    const message = buffer.readMessage();
    if (message === null) break;
    out.push(message);
  }
  return out;
}

test('messages split across chunks, several per chunk, and CRLF endings are read in order', () => {
  const buffer = new LinearReadBuffer(1024, parse);
  const text = '{"a":1}\r\n{"b":2}\n{"c":"' + 'x'.repeat(50) + '"}\n{"d":';
  const bytes = Buffer.from(text);
  const seen: unknown[] = [];
  for (let i = 0; i < bytes.length; i += 7) {
    buffer.append(bytes.subarray(i, i + 7));
    seen.push(...drain(buffer));
  }
  assert.deepEqual(seen, [{ a: 1 }, { b: 2 }, { c: 'x'.repeat(50) }]);
  buffer.append(Buffer.from('4}\n'));
  assert.deepEqual(drain(buffer), [{ d: 4 }]);
});

test('a line that does not parse is consumed, so reading goes on after it', () => {
  const buffer = new LinearReadBuffer(1024, parse);
  buffer.append(Buffer.from('not json\n{"ok":true}\n'));
  assert.throws(() => buffer.readMessage());
  assert.deepEqual(buffer.readMessage(), { ok: true });
  assert.equal(buffer.readMessage(), null);
});

test('going over the size limit throws and empties the buffer; multi-byte characters split across chunks survive', () => {
  const buffer = new LinearReadBuffer(10, parse);
  buffer.append(Buffer.from('12345678'));
  assert.throws(() => buffer.append(Buffer.from('9012')), /exceeded maximum size of 10 bytes/);
  assert.equal(buffer.readMessage(), null);
  const utf8 = Buffer.from('"é€"\n');
  const wide = new LinearReadBuffer(100, parse);
  for (const byte of utf8) wide.append(Buffer.from([byte]));
  assert.equal(wide.readMessage(), 'é€');
});

test('installLinearReadBuffer replaces a read buffer of the SDK shape and leaves other objects alone', () => {
  const sdkLike = { _readBuffer: { append() {}, readMessage() {}, clear() {} } };
  assert.equal(installLinearReadBuffer(sdkLike, 100, parse), true);
  assert.ok(sdkLike._readBuffer instanceof LinearReadBuffer);
  assert.equal(installLinearReadBuffer({}, 100, parse), false);
});
