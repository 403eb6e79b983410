import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLimitedFetch, describeUrl } from '../../src/core/mcp/limitedFetch';

let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    req.url = (req.url ?? '').split('?')[0];
    if (req.url === '/json-small') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: 'x'.repeat(100) }));
    } else if (req.url === '/json-big-chunked') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"big":"');
      for (let i = 0; i < 10; i++) res.write('y'.repeat(100));
      res.end('"}');
    } else if (req.url === '/json-big-length') {
      const body = JSON.stringify({ big: 'z'.repeat(2000) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    } else if (req.url === '/sse-ok') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Many events, far more than the limit in total, each below it.
      for (let i = 0; i < 20; i++) res.write(`event: message\r\ndata: ${'a'.repeat(100)}\r\n\r\n`);
      res.end();
    } else if (req.url === '/sse-big-event') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${'b'.repeat(100)}\n\n`);
      for (let i = 0; i < 10; i++) res.write(`data: ${'c'.repeat(100)}\n`);
      res.end('\n');
    } else if (req.url === '/empty') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const limited = createLimitedFetch(500);

test('a body within the limit passes unchanged; status and headers are kept', async () => {
  const response = await limited(`${base}/json-small`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.deepEqual(await response.json(), { ok: 'x'.repeat(100) });
  const missing = await limited(`${base}/missing`);
  assert.equal(missing.status, 404);
  assert.equal(await missing.text(), 'not found');
  assert.equal((await limited(`${base}/empty`)).status, 204);
});

test('a JSON body over the limit fails: by Content-Length at once, or while streaming', async () => {
  await assert.rejects(limited(`${base}/json-big-length`), /larger than 500 bytes \(Content-Length/);
  const chunked = await limited(`${base}/json-big-chunked`);
  await assert.rejects(chunked.text(), /larger than 500 bytes/);
});

test('an SSE stream may carry any number of events, but not one event over the limit', async () => {
  const ok = await limited(`${base}/sse-ok`);
  const text = await ok.text();
  assert.equal(text.split('\r\n\r\n').length - 1, 20);
  const big = await limited(`${base}/sse-big-event`);
  await assert.rejects(big.text(), /larger than 500 bytes/);
});

test('a limit given as a function is read on each response: a lowered setting applies to the next message', async () => {
  let max = 100_000;
  const live = createLimitedFetch(() => max);
  assert.equal((await (await live(`${base}/json-big-length`)).json() as { big: string }).big.length, 2000);
  max = 500;
  await assert.rejects(live(`${base}/json-big-length`), /larger than 500 bytes/);
  max = 100_000;
  assert.ok((await (await live(`${base}/json-big-chunked`)).text()).length > 1000);
});

test('an oversized message is reported by origin and path only: the query (which may hold an ${input:} value) is left out', async () => {
  await assert.rejects(limited(`${base}/json-big-length?key=s3cr3t-value`), (error: Error) => {
    assert.match(error.message, /^A message from http:\/\/127\.0\.0\.1:\d+\/json-big-length is larger/);
    assert.ok(!error.message.includes('s3cr3t'));
    return true;
  });
  const chunked = await limited(`${base}/json-big-chunked?token=s3cr3t`);
  await assert.rejects(chunked.text(), (error: Error) => !/s3cr3t/.test(error.message) && /json-big-chunked is larger/.test(error.message));
  assert.equal(describeUrl('https://user:pa55word@example.com:8443/a/b?k=v#f'), 'https://example.com:8443/a/b');
});
