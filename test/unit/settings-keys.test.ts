import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTING_KEYS, fullSettingName, type SettingKey } from '../../src/core/settingKeys';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const contributed: Record<string, { scope?: string; markdownDescription?: string; enum?: unknown[]; enumDescriptions?: unknown[] }> =
  manifest.contributes.configuration.properties;

test('the typed setting keys are exactly the settings package.json contributes', () => {
  const typed = Object.keys(SETTING_KEYS).map((k) => fullSettingName(k as SettingKey)).sort();
  assert.deepEqual(typed, Object.keys(contributed).sort());
});

test('every contributed setting explains itself and has an explicit scope', () => {
  for (const [name, schema] of Object.entries(contributed)) {
    assert.ok(schema.markdownDescription && schema.markdownDescription.length > 20, `${name} needs a markdownDescription`);
    assert.ok(schema.scope, `${name} needs an explicit scope`);
    if (schema.enum) assert.equal(schema.enumDescriptions?.length, schema.enum.length, `${name} needs a description per enum value`);
  }
});

test('settings that start processes are machine-scoped', () => {
  assert.equal(contributed['mcpSampling.servers']?.scope, 'machine');
  assert.equal(contributed['mcpSampling.readMcpJson']?.scope, 'machine');
});
