/** The 2026-07-28 fetch wrapper: each request's cancel controller is kept only while its response is open. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModernFetch } from '../../src/core/mcp/modernHttp';

const post = (id: number, method = 'tools/call') => ({ method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { name: 't' } }) });

test('a request is forgotten when its response ends, fails or is cancelled; one still streaming can be cancelled', async () => {
  const signals: AbortSignal[] = [];
  let mode: 'json' | 'stream' | 'reject' = 'json';
  const modern = createModernFetch(async (_input, init) => {
    signals.push(init!.signal!);
    if (mode === 'reject') throw new Error('connection refused');
    if (mode === 'json') return new Response('{"jsonrpc":"2.0","id":1,"result":{}}', { status: 200 });
    // An SSE stream that stays open until the request's signal aborts.
    return new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('event: message\ndata: {}\n\n'));
          init!.signal!.addEventListener('abort', () => controller.error(init!.signal!.reason));
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
  });

  // Read to the end.
  const json = await modern.fetch('http://x/mcp', post(1));
  assert.equal(modern.openRequests(), 1, 'open until the body is read');
  assert.equal(await json.text(), '{"jsonrpc":"2.0","id":1,"result":{}}');
  assert.equal(modern.openRequests(), 0);

  // The base fetch fails.
  mode = 'reject';
  await assert.rejects(modern.fetch('http://x/mcp', post(2)), /connection refused/);
  assert.equal(modern.openRequests(), 0);

  // The reader cancels the body.
  mode = 'stream';
  const cancelled = await modern.fetch('http://x/mcp', post(3));
  const reader = cancelled.body!.getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(modern.openRequests(), 0);

  // Still streaming: notifications/cancelled closes it, and it is forgotten.
  const streaming = await modern.fetch('http://x/mcp', post(4, 'subscriptions/listen'));
  assert.equal(modern.openRequests(), 1);
  const accepted = await modern.fetch('http://x/mcp', { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4, reason: 'closing' } }) });
  assert.equal(accepted.status, 202);
  assert.equal(signals.at(-1)!.aborted, true, 'the request of id 4 was aborted');
  await assert.rejects(streaming.text());
  assert.equal(modern.openRequests(), 0);
});
