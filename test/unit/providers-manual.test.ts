/** The manual reply is a provider like the others: it lists its model and asks the person for the text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualProvider, MANUAL_MODEL, MANUAL_PROVIDER_ID } from '../../src/core/providers/manual';
import { ProviderRegistry } from '../../src/core/providers/registry';

const request = { model: 'manual', messages: [], maxTokens: 10 };

test('the manual provider answers with what the person typed, and needs a person', async () => {
  const manual = new ManualProvider();
  assert.equal(manual.answeredByPerson, true);
  assert.deepEqual(await manual.listModels(), [MANUAL_MODEL]);
  const signals: AbortSignal[] = [];
  const signal = new AbortController().signal;
  const response = await manual.complete(request, () => undefined, signal, {
    typedReply: async (s) => {
      signals.push(s);
      return 'typed';
    },
  });
  assert.deepEqual(response, { model: 'manual', content: { type: 'text', text: 'typed' }, stopReason: 'endTurn' });
  assert.deepEqual(signals, [signal], 'the request signal reaches the person');
  await assert.rejects(manual.complete(request, () => undefined, signal), /needs a person/);
});

test('the registry always has the manual provider, by id, and it cannot be replaced', () => {
  const registry = new ProviderRegistry();
  assert.equal(registry.get(MANUAL_PROVIDER_ID)?.answeredByPerson, true);
  assert.equal(registry.list().length, 0, 'list() holds the registered providers only');
  registry.syncFromSettings([{ id: MANUAL_PROVIDER_ID, baseUrl: 'http://x/v1' }], () => assert.fail('not built'));
  assert.equal(registry.get(MANUAL_PROVIDER_ID)?.answeredByPerson, true);
});
