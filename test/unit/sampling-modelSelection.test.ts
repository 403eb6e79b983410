import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { chooseModel, selectProviderAndModel, type ProviderCatalogEntry } from '../../src/core/sampling/modelSelection';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type { ModelInfo, ModelProvider } from '../../src/core/sampling/types';

const models: ModelInfo[] = [
  { id: 'gpt-4o-mini', family: 'gpt-4o', cost: 0.1, speed: 0.9, intelligence: 0.5 },
  { id: 'claude-3-5-sonnet', family: 'claude', cost: 0.6, speed: 0.5, intelligence: 0.9 },
  { id: 'llama3:8b', family: 'llama', cost: 0, speed: 0.7, intelligence: 0.3 },
  { id: 'plain-model' },
];

test('hints are tried in order, case-insensitively, against ids and families', () => {
  assert.deepEqual(chooseModel(models, { hints: [{ name: 'nothing-like-it' }, { name: 'CLAUDE' }, { name: 'gpt' }] }, undefined, undefined), {
    model: 'claude-3-5-sonnet',
    reason: 'hint "CLAUDE" matched claude-3-5-sonnet',
  });
  assert.equal(chooseModel(models, { hints: [{ name: 'LLAMA' }] }, undefined, undefined)?.model, 'llama3:8b');
  assert.equal(chooseModel(models, { hints: [{ name: '4o' }] }, undefined, undefined)?.model, 'gpt-4o-mini');
});

test('a pinned model wins over hints; priorities decide without hints; then the default', () => {
  assert.deepEqual(chooseModel(models, { hints: [{ name: 'claude' }] }, { model: 'LLAMA3:8B', setting: 'S' }, undefined), { model: 'llama3:8b', reason: 'pinned by S' });
  assert.equal(chooseModel(models, { intelligencePriority: 1 }, undefined, undefined)?.model, 'claude-3-5-sonnet');
  assert.equal(chooseModel(models, { costPriority: 1 }, undefined, undefined)?.model, 'llama3:8b');
  assert.equal(chooseModel(models, { speedPriority: 1, costPriority: 0.2 }, undefined, undefined)?.model, 'gpt-4o-mini');
  assert.match(chooseModel(models, { speedPriority: 1 }, undefined, undefined)?.reason ?? '', /priorities \(speed 1\)/);
  assert.deepEqual(chooseModel(models, {}, undefined, 'plain-model'), { model: 'plain-model', reason: 'the provider default model' });
  assert.deepEqual(chooseModel(models, undefined, undefined, undefined), { model: 'gpt-4o-mini', reason: 'the first available model' });
  assert.equal(chooseModel([], undefined, undefined, undefined), undefined);
});

const catalog: ProviderCatalogEntry[] = [
  { id: 'vscode-lm', label: 'VS Code', models: [] },
  { id: 'openai', label: 'OpenAI', models, defaultModel: 'gpt-4o-mini' },
  { id: 'manual', label: 'Manual reply', models: [{ id: 'manual' }] },
];

function settings(patch: Partial<SamplingSettings>): SamplingSettings {
  return { ...DEFAULT_SAMPLING_SETTINGS, ...patch };
}

test('provider: per-server over default; vscode-lm without models and unknown ids fall back to manual', () => {
  const viaServer = selectProviderAndModel({ settings: settings({ serverSampling: { s: { provider: 'openai', model: 'claude-3-5-sonnet' } } }), serverName: 's', preferences: undefined, catalog });
  assert.deepEqual(viaServer, { providerId: 'openai', model: 'claude-3-5-sonnet', reason: 'OpenAI (mcpSampling.serverSampling["s"].provider): pinned by mcpSampling.serverSampling["s"].model' });
  const viaDefault = selectProviderAndModel({ settings: settings({ defaultProvider: 'openai' }), serverName: 's', preferences: { hints: [{ name: 'llama' }] }, catalog });
  assert.equal(viaDefault.model, 'llama3:8b');
  assert.match(viaDefault.reason, /mcpSampling\.defaultProvider/);
  const noLm = selectProviderAndModel({ settings: settings({}), serverName: 's', preferences: undefined, catalog });
  assert.equal(noLm.providerId, 'manual');
  assert.match(noLm.reason, /VS Code has no language model/);
  const unknown = selectProviderAndModel({ settings: settings({ defaultProvider: 'gone' }), serverName: 's', preferences: undefined, catalog });
  assert.equal(unknown.providerId, 'manual');
  assert.match(unknown.reason, /"gone" \(mcpSampling\.defaultProvider\) is not configured/);
});

test('registry catalog: a failing or hanging provider lists no models instead of failing all; manual comes last', async () => {
  const registry = new ProviderRegistry();
  const ok: ModelProvider = { id: 'ok', label: 'OK', listModels: async () => [{ id: 'm1' }], complete: async () => ({ model: 'm1', content: { type: 'text', text: '' }, stopReason: 'endTurn' }) };
  const failing: ModelProvider = { ...ok, id: 'failing', label: 'Failing', listModels: async () => Promise.reject(new Error('down')) };
  const hanging: ModelProvider = { ...ok, id: 'hanging', label: 'Hanging', listModels: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
  registry.register(ok);
  registry.register(failing);
  const hangingRegistration = registry.register(hanging);
  const controller = new AbortController();
  const listing = registry.catalog(controller.signal);
  // The outer signal aborting ends the hanging listing at once (no 10 s wait in a test).
  setTimeout(() => controller.abort(new Error('stop')), 50);
  await assert.rejects(listing, /stop/);
  hangingRegistration.dispose();
  const entries = await registry.catalog(new AbortController().signal);
  assert.deepEqual(entries.map((e) => [e.id, e.models.map((m) => m.id)]), [['ok', ['m1']], ['failing', []], ['manual', ['manual']]]);
  assert.throws(() => registry.register({ ...ok, id: 'manual' }), /reserved/);
});

test('registry sync follows mcpSampling.providers, replacing only what settings created', () => {
  const registry = new ProviderRegistry();
  const lm: ModelProvider = { id: 'vscode-lm', label: 'VS Code', listModels: async () => [], complete: async () => Promise.reject(new Error('no')) };
  registry.register(lm);
  const create = (s: { id: string; label?: string }): ModelProvider => ({ ...lm, id: s.id, label: s.label ?? s.id });
  registry.syncFromSettings([{ id: 'a', baseUrl: 'http://127.0.0.1:1/v1' }, { id: 'vscode-lm', baseUrl: 'http://x' }], create);
  assert.deepEqual(registry.list().map((p) => p.id), ['vscode-lm', 'a']);
  assert.equal(registry.get('vscode-lm'), lm);
  registry.syncFromSettings([{ id: 'b', baseUrl: 'http://127.0.0.1:2/v1' }], create);
  assert.deepEqual(registry.list().map((p) => p.id), ['vscode-lm', 'b']);
});
