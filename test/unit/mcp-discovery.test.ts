import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DiscoveryError, probeServer } from '../../src/core/mcp/discovery';

/** A peer on a linked in-memory transport answering each server/discover with the next of `answers`. */
async function peer(answers: ((id: unknown) => JSONRPCMessage)[]) {
  const [client, server] = InMemoryTransport.createLinkedPair();
  const seen: unknown[] = [];
  server.onmessage = (message) => {
    if (!('method' in message) || message.method !== 'server/discover' || !('id' in message)) return;
    seen.push(message.id);
    const answer = answers.shift();
    if (answer) void server.send(answer(message.id));
  };
  await server.start();
  return { client, seen };
}

const refused = (id: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id: id as string, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: ['2026-07-28'], requested: '2026-07-28' } } });
const discovered = (id: unknown): JSONRPCMessage => ({ jsonrpc: '2.0', id: id as string, result: { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'p', version: '1' } } });
const options = { envelope: {}, timeoutMs: 2000, kind: 'stdio' as const, signal: new AbortController().signal };

test('a -32022 that lists 2026-07-28 as supported is asked once more (SEP-2575 retry) and then adopted', async () => {
  const { client, seen } = await peer([refused, discovered]);
  const verdict = await probeServer(client, options);
  assert.equal(verdict.kind, 'modern');
  assert.equal(seen.length, 2);
  assert.notEqual(seen[0], seen[1], 'the retry has its own id');
});

test('a server that refuses again what it says it supports gets a clear error, not a loop', async () => {
  const { client, seen } = await peer([refused, refused, refused]);
  await assert.rejects(probeServer(client, options), (error: unknown) => error instanceof DiscoveryError && /refused 2026-07-28 twice/.test(error.message));
  assert.equal(seen.length, 2);
});
