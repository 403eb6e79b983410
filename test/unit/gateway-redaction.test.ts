/**
 * Issue 23, item 9: every error the gateway sends a caller goes through the session's one redaction.
 * The attack: a server whose URL carries an `${input:}` value in its query fails a call; the
 * failure's text (a tool error, or a prompts/get or resources/read error) named the whole URL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayServer } from '../../src/core/gateway/gatewayServer';
import type { GatewayBackend } from '../../src/core/gateway/catalog';
import { silentLogger } from '../../src/core/logger';

const TOKEN = 'test-token-0123456789abcdef0123456789abcdef';
const SECRET = 'input-value-s3cr3t-0123456789';
const failure = () => new Error(`A message from https://api.example.com/mcp?key=${SECRET} is larger than 10 bytes; the connection was closed.`);

const noEvent = () => ({ dispose() {} });
const status = { name: 'srv', status: 'connected', definition: { name: 'srv', source: 'settings', type: 'http', url: 'https://api.example.com/mcp' } };
const backend = {
  list: () => [status],
  status: () => status,
  listTools: () => [{ name: 'boom', inputSchema: { type: 'object' } }],
  listPrompts: () => [{ name: 'p' }],
  listResources: () => [{ uri: 'res://r', name: 'r' }],
  callTool: () => Promise.reject(failure()),
  getConnection: () => ({ state: { status: 'connected' }, getPrompt: () => Promise.reject(failure()), readResource: () => Promise.reject(failure()) }),
  onDidChangeStatus: noEvent,
  onDidChangeLists: noEvent,
  onDidChangeServers: noEvent,
} as unknown as GatewayBackend;

let gateway: GatewayServer;
let client: Client;

before(async () => {
  gateway = new GatewayServer({ backend, isExposed: () => true, token: () => TOKEN, logger: silentLogger, redact: (text) => text.split(SECRET).join('[redacted]') });
  await gateway.start(0);
  client = new Client({ name: 'caller', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url!), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
});

after(async () => {
  await client.close();
  await gateway.stop();
});

test('a tool error names no secret', async () => {
  const result = (await client.callTool({ name: 'srv__boom', arguments: {} })) as CallToolResult;
  assert.equal(result.isError, true);
  const text = JSON.stringify(result.content);
  assert.match(text, /failed: A message from https:\/\/api\.example\.com\/mcp\?key=\[redacted\]/);
  assert.ok(!text.includes(SECRET));
});

test('a prompts/get or resources/read error names no secret either', async () => {
  for (const call of [() => client.getPrompt({ name: 'srv__p' }), () => client.readResource({ uri: 'res://r' })]) {
    await assert.rejects(call(), (error: Error) => {
      assert.ok(!error.message.includes(SECRET), error.message);
      assert.match(error.message, /key=\[redacted\]/);
      return true;
    });
  }
});
