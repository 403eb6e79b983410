/**
 * Issue 23, item 7: over Streamable HTTP a 2025-11-25 server sends the requests it makes for a
 * tools/call on that call's own response stream, which proves the call they belong to. With two
 * different tools running at once, the old bookkeeping (the one tool running) named none, and with
 * one running it named that one even for a request unrelated to it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { SamplingRequestContext } from '../../src/core/mcp/types';
import { StreamAttribution } from '../../src/core/mcp/streamAttribution';
import { silentLogger } from '../../src/core/logger';

let httpServer: http.Server;
let url = '';
let releaseSlow: () => void = () => undefined;

before(async () => {
  const mcp = new McpServer({ name: 'stream-attribution', version: '1.0.0' });
  mcp.registerTool('slow', { description: 'Waits until released.' }, async () => {
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return { content: [{ type: 'text', text: 'slow done' }] };
  });
  mcp.registerTool('ask', { description: 'Asks the client for a completion.' }, async (extra) => {
    const result = await mcp.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 }, { relatedRequestId: extra.requestId });
    return { content: [{ type: 'text', text: result.content.type === 'text' ? result.content.text : '' }] };
  });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  await mcp.connect(transport);
  httpServer = http.createServer((req, res) => void transport.handleRequest(req, res));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/mcp`;
});

after(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

test('a sampling request on a tools/call response stream is attributed to that call, proven, even beside another tool', async () => {
  const contexts: SamplingRequestContext[] = [];
  const conn = new ServerConnection({
    definition: { name: 'streamed', source: 'test', disabled: false, type: 'http', url, headers: {} },
    logger: silentLogger,
    protocol: '2025-11-25',
    samplingHandler: async (_params, context) => {
      contexts.push(context);
      return { role: 'assistant', content: { type: 'text', text: 'answer' }, model: 'm' };
    },
  });
  try {
    assert.equal((await conn.connect()).status, 'connected');
    const slow = conn.callTool('slow', {});
    const asked = await conn.callTool('ask', {});
    assert.equal((asked.content as { text: string }[])[0]!.text, 'answer');
    releaseSlow();
    await slow;
    assert.equal(contexts.length, 1);
    assert.deepEqual(contexts[0]!.toolCall, { name: 'ask' });
    assert.equal(contexts[0]!.runningToolCall, undefined);
  } finally {
    releaseSlow();
    await conn.dispose();
  }
});

test('the stream tap passes every byte on and records only requests, once each', async () => {
  const streams = new StreamAttribution();
  const events = ['event: message\ndata: {"jsonrpc":"2.0","id":7,"method":"sampling/createMessage","params":{}}\n\n', 'data: {"jsonrpc":"2.0","method":"notifications/progress","params":{}}\n\n', 'data: {"jsonrpc":"2.0","id":1,"result":{}}\n\n'];
  const body = events.join('');
  const chunks = [body.slice(0, 30), body.slice(30, 31), body.slice(31)];
  const fetch = async () =>
    new Response(new ReadableStream({ start: (c) => (chunks.forEach((s) => c.enqueue(new TextEncoder().encode(s))), c.close()) }), { headers: { 'content-type': 'text/event-stream' } });
  const wrapped = streams.wrap(fetch);
  const response = await wrapped('http://x/mcp', { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask' } }) });
  assert.equal(await response.text(), body);
  assert.equal(streams.take(1), undefined, 'a response is not a request');
  assert.equal(streams.take(7), 'ask');
  assert.equal(streams.take(7), undefined, 'taken once');
  // Other requests' streams (initialize, tools/list, the GET stream) prove nothing.
  await (await wrapped('http://x/mcp', { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) })).text();
  assert.equal(streams.take(7), undefined);
});
