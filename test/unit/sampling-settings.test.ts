import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SAMPLING_SETTINGS, SETTING, normalizeSamplingSettings } from '../../src/core/sampling/settings';

// out/test/unit/x.test.js -> repo root
const repoRoot = path.resolve(__dirname, '../../..');
const contributed = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}).contributes.configuration.properties;

function defaultAt(settingName: string): unknown {
  const relative = settingName.replace(/^mcpSampling\./, '').split('.');
  let value: unknown = DEFAULT_SAMPLING_SETTINGS;
  for (const key of relative) value = (value as Record<string, unknown>)[key];
  return value;
}

test('every setting name the pipeline uses exists in package.json with the same default', () => {
  for (const name of Object.values(SETTING)) {
    assert.ok(contributed[name], `${name} is not contributed`);
    assert.deepEqual(defaultAt(name), contributed[name]?.default, `default of ${name}`);
  }
});

test('normalize keeps valid values and replaces invalid ones with defaults', () => {
  const settings = normalizeSamplingSettings({
    approval: 'auto',
    paused: 'yes',
    defaultProvider: ' local ',
    providers: [
      { id: 'local', baseUrl: 'http://127.0.0.1:1/v1', models: [{ id: 'm', cost: 2, speed: 0.5 }, { nope: 1 }] },
      { id: 'bad id!', baseUrl: 'http://x' },
      { id: 'local', baseUrl: 'http://dup' },
      'junk',
    ],
    serverSampling: { s1: { approval: 'deny', maxTokens: -3, requestsPerMinute: 2 }, s2: 7 },
    limits: { maxRequestBytes: 10, maxMessages: 3 },
    history: { maxEntries: 12.7 },
  });
  assert.equal(settings.approval, 'auto');
  assert.equal(settings.paused, false);
  assert.equal(settings.defaultProvider, 'local');
  assert.deepEqual(settings.providers.map((p) => p.id), ['local']);
  assert.deepEqual(settings.providers[0]?.models, [{ id: 'm', cost: undefined, speed: 0.5, intelligence: undefined, maxInputTokens: undefined }]);
  assert.deepEqual(Object.keys(settings.serverSampling), ['s1']);
  assert.equal(settings.serverSampling.s1?.approval, 'deny');
  assert.equal(settings.serverSampling.s1?.maxTokens, undefined);
  assert.equal(settings.serverSampling.s1?.requestsPerMinute, 2);
  assert.equal(settings.limits.maxRequestBytes, DEFAULT_SAMPLING_SETTINGS.limits.maxRequestBytes);
  assert.equal(settings.limits.maxMessages, 3);
  assert.equal(settings.history.maxEntries, 12);
});
