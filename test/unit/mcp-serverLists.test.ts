// The lists a server offers (src/core/mcp/serverLists.ts), against a stand-in client: a page far
// over the bound is read up to it, not lost to a stack overflow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { ServerLists } from '../../src/core/mcp/serverLists';
import type { SdkClient } from '../../src/core/mcp/sdk';

test('a page of 200,000 tools keeps the first 5,000 and logs no failure', async () => {
  const tools: Tool[] = Array.from({ length: 200_000 }, (_, i) => ({ name: `tool_${i}`, inputSchema: { type: 'object' } }));
  const warnings: string[] = [];
  const client = { listTools: async () => ({ tools }), listPrompts: async () => ({ prompts: [] }), listResources: async () => ({ resources: [] }) } as unknown as SdkClient;
  const lists = new ServerLists({
    name: 'flood',
    logger: { trace() {}, debug() {}, info() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) } as never,
    redact: (text) => text,
    client: () => client,
    capabilities: () => ({ tools: {} }),
    modern: () => false,
    withSignInRetry: (request) => request(),
    changed() {},
  });
  await lists.refreshAll();
  assert.deepEqual(warnings, []);
  assert.equal(lists.tools.length, 5000);
  assert.equal(lists.tools[4999]?.name, 'tool_4999');
});
