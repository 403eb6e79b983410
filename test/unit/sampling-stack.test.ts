// The extension and the CLI build their sampling through createSamplingStack: one pipeline behind
// both connection handlers, each marking its route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../../src/core/history/history';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { DEFAULT_SAMPLING_SETTINGS } from '../../src/core/sampling/settings';
import { createSamplingStack } from '../../src/core/sampling/stack';

test('both handlers run the one pipeline, marked server-request and input-required, with the server source', async () => {
  const records: HistoryRecord[] = [];
  const stack = createSamplingStack({
    serverSource: (name) => `source of ${name}`,
    config: { get: () => ({ ...DEFAULT_SAMPLING_SETTINGS, approval: 'deny' }) },
    providers: new ProviderRegistry(),
    prompter: { open: () => assert.fail('a denied request reaches nobody') },
    history: { append: async (record) => void records.push(record) },
  });
  const params = { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 };
  const context = { serverName: 's1', requestId: 1, signal: new AbortController().signal };
  await assert.rejects(stack.handler(params, context), /denied|refused/i);
  await assert.rejects(stack.inputRequiredHandler(params, context), /denied|refused/i);
  assert.deepEqual(
    records.map((r) => [r.route, r.serverSource, r.decision]),
    [
      ['server-request', 'source of s1', 'refused'],
      ['input-required', 'source of s1', 'refused'],
    ],
  );
});
