// The table of core/settings is the one declaration of every setting; package.json's contribution
// must say the same (key, type, default, scope, bounds, choices), and say it to people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_SETTINGS, SETTINGS, manifestProperties, maxMessageBytesFor, rawSettingsFrom, readSetting, settingProblems } from '../../src/core/settings';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
interface Contributed {
  type?: string;
  default?: unknown;
  scope?: string;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  markdownDescription?: string;
  enumDescriptions?: unknown[];
}
const contributed: Record<string, Contributed> = manifest.contributes.configuration.properties;

test('the table declares exactly the settings package.json contributes', () => {
  assert.deepEqual(ALL_SETTINGS.map((s) => s.id).sort(), Object.keys(contributed).sort());
});

test('package.json holds what the table generates, in table order (`node scripts/settings-table.mjs --write`)', () => {
  assert.deepEqual(manifestProperties(), contributed);
  assert.deepEqual(Object.keys(manifestProperties()), Object.keys(contributed));
});

test('package.json agrees with the table on type, default, scope, bounds and choices', () => {
  for (const setting of ALL_SETTINGS) {
    const schema = contributed[setting.id]!;
    assert.equal(schema.type, setting.schema.type, `type of ${setting.id}`);
    assert.deepEqual(schema.default, setting.default, `default of ${setting.id}`);
    assert.equal(schema.scope, setting.scope, `scope of ${setting.id}`);
    assert.equal(schema.minimum, setting.schema.minimum, `minimum of ${setting.id}`);
    assert.equal(schema.maximum, setting.schema.maximum, `maximum of ${setting.id}`);
    assert.deepEqual(schema.enum, setting.schema.enum, `choices of ${setting.id}`);
  }
});

test("each default passes its own validator (package.json's default is what the editor hands over when unset)", () => {
  for (const setting of ALL_SETTINGS) {
    const checked = setting.check(contributed[setting.id]!.default);
    assert.deepEqual(checked.problems, [], setting.id);
    assert.deepEqual(checked.value, setting.default, setting.id);
  }
});

test('every contributed setting explains itself and has an explicit scope', () => {
  for (const [name, schema] of Object.entries(contributed)) {
    assert.ok(schema.markdownDescription && schema.markdownDescription.length > 20, `${name} needs a markdownDescription`);
    assert.ok(schema.scope, `${name} needs an explicit scope`);
    if (schema.enum) assert.equal(schema.enumDescriptions?.length, schema.enum.length, `${name} needs a description per enum value`);
  }
});

test('settings that start processes or open ports are machine-scoped and the server sources reconnect', () => {
  assert.deepEqual(ALL_SETTINGS.filter((s) => s.reconnects).map((s) => s.key), ['servers', 'readMcpJson']);
  for (const s of [SETTINGS.servers, SETTINGS.readMcpJson, SETTINGS.gatewayEnabled, SETTINGS.gatewayPort]) assert.equal(s.scope, 'machine', s.id);
});

test('an invalid value falls back to the default and says which setting and what it must be', () => {
  const raw = rawSettingsFrom({ 'limits.maxMessages': 'many', 'gateway.port': 70000, approval: 'always', paused: 'yes' });
  assert.equal(readSetting(SETTINGS.maxMessages, raw), 500);
  assert.equal(readSetting(SETTINGS.gatewayPort, raw), 0);
  assert.deepEqual(settingProblems(raw), [
    { kind: 'notOneOf', setting: 'mcpSampling.approval', allowed: ['ask', 'auto', 'deny'] },
    { kind: 'notBoolean', setting: 'mcpSampling.paused' },
    { kind: 'notNumberInRange', setting: 'mcpSampling.limits.maxMessages', min: 1, integer: false },
    { kind: 'notNumberInRange', setting: 'mcpSampling.gateway.port', min: 0, max: 65535, integer: true },
  ]);
});

test('unset settings and valid values raise no problem', () => {
  assert.deepEqual(settingProblems(rawSettingsFrom({})), []);
  const raw = rawSettingsFrom({ 'limits.maxMessages': 3, 'gateway.port': 8080, 'history.maxEntries': 12.7 });
  assert.equal(readSetting(SETTINGS.maxMessages, raw), 3);
  assert.equal(readSetting(SETTINGS.historyMaxEntries, raw), 12, 'history.maxEntries is rounded down');
  assert.deepEqual(settingProblems(raw), []);
});

test('the message limit follows maxRequestBytes, between 64 and 512 MiB', () => {
  const MiB = 1024 * 1024;
  assert.equal(maxMessageBytesFor(SETTINGS.maxRequestBytes.default), 64 * MiB);
  assert.equal(maxMessageBytesFor(100 * MiB), 200 * MiB);
  assert.equal(maxMessageBytesFor(400 * MiB), 512 * MiB);
});
