import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinearReadBuffer, installLinearReadBuffer } from '../../src/core/mcp/stdioReadBuffer';
import { waitFor } from '../support/waitFor';

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

// Against the SDK's own StdioClientTransport (not a look-alike): the buffer is installed on a real
// transport, and a real child process writes messages split across chunks, a bad line, and one large
// message; the transport delivers them through onmessage/onerror as the SDK would.
test('installLinearReadBuffer on the SDK\'s real StdioClientTransport: a child\'s split, bad and large lines arrive in order', async () => {
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const { JSONRPCMessageSchema } = await import('@modelcontextprotocol/sdk/types.js');
  const big = 'x'.repeat(3 * 1024 * 1024);
  // The child writes in small pieces with pauses, so the transport sees many chunks per message.
  const script = `
    const out = [
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"n":1}}\\r\\n{"jsonrpc":"2.0","meth',
      'od":"notifications/message","params":{"n":2}}\\nnot json at all\\n',
      '{"jsonrpc":"2.0","method":"notifications/message","params":{"big":"${'${big}'}"}}\\n',
    ];
    const big = 'x'.repeat(${big.length});
    const pieces = out.map((p) => p.replace('\${big}', big)).join('').match(/[\\s\\S]{1,65536}/g);
    let i = 0;
    const next = () => { if (i < pieces.length) process.stdout.write(pieces[i++], () => setTimeout(next, 1)); };
    next();
    setInterval(() => {}, 1000);
  `;
  const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', script], stderr: 'pipe' });
  assert.equal(installLinearReadBuffer(transport, 8 * 1024 * 1024, (line) => JSONRPCMessageSchema.parse(JSON.parse(line))), true, 'the SDK transport still has the read buffer we replace');
  const messages: unknown[] = [];
  const errors: string[] = [];
  transport.onmessage = (m) => void messages.push(m);
  transport.onerror = (e) => void errors.push(e.message);
  try {
    await transport.start();
    await waitFor('three messages from the child', () => messages.length >= 3, { timeoutMs: 20_000 });
    const params = messages.map((m) => (m as { params: Record<string, unknown> }).params);
    assert.deepEqual(params.slice(0, 2), [{ n: 1 }, { n: 2 }]);
    assert.equal((params[2] as { big: string }).big.length, big.length, 'the large message arrives whole');
    assert.equal(errors.length, 1, 'the bad line is one error, and reading goes on');
    assert.ok((transport as unknown as { _readBuffer: unknown })._readBuffer instanceof LinearReadBuffer, 'the transport read through our buffer');
  } finally {
    await transport.close();
  }
});

test('installLinearReadBuffer leaves an object without the SDK\'s read buffer alone', () => {
  assert.equal(installLinearReadBuffer({}, 100, parse), false);
  assert.equal(installLinearReadBuffer({ _readBuffer: { append() {} } }, 100, parse), false);
});

test('a limit given as a function is read on each chunk: a lowered setting applies to the next message', () => {
  let max = 1024;
  const buffer = new LinearReadBuffer(() => max, (line) => JSON.parse(line));
  buffer.append(Buffer.from(`${JSON.stringify({ a: 'x'.repeat(100) })}\n`));
  assert.deepEqual(buffer.readMessage(), { a: 'x'.repeat(100) });
  max = 50;
  assert.throws(() => buffer.append(Buffer.from(`${JSON.stringify({ a: 'x'.repeat(100) })}\n`)), /maximum size of 50 bytes/);
});
