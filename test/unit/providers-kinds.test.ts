/** Provider kinds: one list (kinds.json) that the settings schema, the factories and the build follow. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import kindTable from '../../src/core/providers/kinds.json';
import { DEFAULT_PROVIDER_KIND, isProviderKind, PROVIDER_KINDS } from '../../src/core/providers/kinds';
import { createProvider } from '../../src/core/providers/factories';
import { rawSettingsFrom, settingProblems } from '../../src/core/settings';
import { samplingSettingsFrom } from '../../src/core/sampling/settings';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

test('the settings schema offers exactly the kinds, with the default kind as its default', () => {
  const configuration: { properties: Record<string, { items: { properties: { kind: { enum: string[]; default: string } } } }> }[] = [packageJson.contributes.configuration].flat();
  const kind = configuration.find((c) => c.properties['mcpSampling.providers'])?.properties['mcpSampling.providers']?.items.properties.kind;
  assert.ok(kind, 'mcpSampling.providers items have a kind');
  assert.deepEqual(kind.enum, [...PROVIDER_KINDS]);
  assert.equal(kind.default, DEFAULT_PROVIDER_KIND);
  assert.ok(isProviderKind(DEFAULT_PROVIDER_KIND));
  assert.equal(isProviderKind('toString'), false, 'not a kind from the prototype');
});

test('every kind has a factory that builds a provider from its setting', () => {
  for (const kind of PROVIDER_KINDS) {
    const provider = createProvider({ kind, id: `p-${kind}`, label: 'P', baseUrl: 'http://127.0.0.1:1/v1', defaultModel: 'm' }, { getApiKey: async () => undefined });
    assert.equal(provider.id, `p-${kind}`);
    assert.equal(provider.label, 'P');
    assert.equal(provider.defaultModel, 'm');
  }
});

test('settings: an entry without kind is the default kind, an unknown kind is left out', () => {
  const settings = samplingSettingsFrom(
    rawSettingsFrom({
    providers: [
      { id: 'plain', baseUrl: 'http://a/v1' },
      { id: 'named', kind: DEFAULT_PROVIDER_KIND, baseUrl: 'http://b/v1' },
      { id: 'future', kind: 'speaks-something-else', baseUrl: 'http://c/v1' },
    ],
  }),
  );
  assert.deepEqual(settings.providers.map((p) => [p.id, p.kind]), [
    ['plain', DEFAULT_PROVIDER_KIND],
    ['named', DEFAULT_PROVIDER_KIND],
  ]);
});

test('the build bundles each library a kind loads as dist/vendor/<name>.js, and the package depends on it', async () => {
  const { targets } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'build.mjs')).href)) as { targets: { entryPoints?: Record<string, string> }[] };
  const vendorEntries = Object.assign({}, ...targets.map((t) => t.entryPoints ?? {})) as Record<string, string>;
  for (const name of Object.values(kindTable).flatMap((kind) => kind.vendor)) {
    assert.equal(vendorEntries[`vendor/${name}`], `scripts/vendor/${name}.cjs`);
    assert.ok(existsSync(path.join(repoRoot, 'scripts', 'vendor', `${name}.cjs`)));
    assert.ok(packageJson.dependencies[name], `${name} is a dependency`);
  }
});

test('settings: an unknown kind is reported as a problem naming the kinds, not dropped silently', () => {
  const problems = settingProblems(rawSettingsFrom({ providers: [{ id: 'future', kind: 'speaks-something-else', baseUrl: 'http://c/v1' }] }));
  assert.deepEqual(problems, [{ kind: 'unknownProviderKind', setting: 'mcpSampling.providers[0].kind', allowed: PROVIDER_KINDS }]);
});
