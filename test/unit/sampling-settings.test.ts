import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawSettingsFrom, settingProblems } from '../../src/core/settings';
import { DEFAULT_SAMPLING_SETTINGS, samplingSettingsFrom } from '../../src/core/sampling/settings';

test('the defaults are the table defaults', () => {
  assert.equal(DEFAULT_SAMPLING_SETTINGS.approval, 'ask');
  assert.equal(DEFAULT_SAMPLING_SETTINGS.limits.maxRequestBytes, 20 * 1024 * 1024);
  assert.equal(DEFAULT_SAMPLING_SETTINGS.history.maxEntries, 1000);
});

test('valid values are kept and invalid ones replaced with defaults, each invalid one reported', () => {
  const raw = rawSettingsFrom({
    approval: 'auto',
    paused: 'yes',
    defaultProvider: ' local ',
    providers: [
      { id: 'local', baseUrl: 'http://127.0.0.1:1/v1', models: [{ id: 'm', cost: 2, speed: 0.5 }, { nope: 1 }] },
      { id: 'bad id!', baseUrl: 'http://x' },
      { id: 'local', baseUrl: 'http://dup' },
      { id: 'nourl' },
      'junk',
    ],
    serverSampling: { s1: { approval: 'deny', maxTokens: -3, requestsPerMinute: 2 }, s2: 7 },
    'limits.maxRequestBytes': 10,
    'limits.maxMessages': 3,
    'history.maxEntries': 12.7,
  });
  const settings = samplingSettingsFrom(raw);
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
  assert.deepEqual(settingProblems(raw), [
    { kind: 'notBoolean', setting: 'mcpSampling.paused' },
    { kind: 'badProviderId', setting: 'mcpSampling.providers[1]' },
    { kind: 'duplicateProviderId', setting: 'mcpSampling.providers[2]', id: 'local' },
    { kind: 'missingBaseUrl', setting: 'mcpSampling.providers[3]' },
    { kind: 'notObject', setting: 'mcpSampling.providers[4]' },
    { kind: 'notNumberInRange', setting: 'mcpSampling.serverSampling["s1"].maxTokens', min: 1, integer: false },
    { kind: 'notObject', setting: 'mcpSampling.serverSampling["s2"]' },
    { kind: 'notNumberInRange', setting: 'mcpSampling.limits.maxRequestBytes', min: 1024, integer: false },
  ]);
});
