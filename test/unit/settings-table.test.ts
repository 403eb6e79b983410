// package.json's settings are generated from src/core/settings.ts, and the README's settings table from
// package.json, by scripts/settings-table.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const script = path.join(repoRoot, 'scripts', 'settings-table.mjs');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const settingNames = Object.keys(manifest.contributes.configuration.properties);

interface TableModule {
  settingsTable(manifest: unknown, nls?: Record<string, string>): string;
  currentTable(readme: string): string | undefined;
  replaceTable(readme: string, table: string): string;
  generatedProperties(): Promise<Record<string, Record<string, unknown>>>;
  withProperties(manifestText: string, properties: unknown): string;
  START: string;
  END: string;
}
// Loaded at run time (not bundled): the script is an ES module run by Node as it is.
const loadModule = (): Promise<TableModule> => import(pathToFileURL(script).href) as Promise<TableModule>;

function run(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
}

/** Cells of a Markdown table row, honouring `\|` escapes. */
function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

test('prints a five-column table with one row per contributed setting, in manifest order', () => {
  const result = run();
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.deepEqual(cells(lines[0]!), ['Setting', 'Type', 'Default', 'Scope', 'Description']);
  assert.deepEqual(cells(lines[1]!), ['---', '---', '---', '---', '---']);
  const rows = lines.slice(2).map(cells);
  assert.deepEqual(rows.map((r) => r[0]), settingNames.map((n) => `\`${n}\``));
  for (const row of rows) {
    assert.equal(row.length, 5, `five cells: ${row.join(' | ')}`);
    const schema = manifest.contributes.configuration.properties[row[0]!.slice(1, -1)];
    assert.equal(row[2], `\`${JSON.stringify(schema.default)}\``);
    assert.equal(row[3], schema.scope);
    assert.ok(row[4]!.length > 20, `${row[0]} has a description`);
    assert.doesNotMatch(row[4]!, /#mcpSampling\.[\w.]+#/, 'settings-editor links are turned into code');
  }
  const approval = rows.find((r) => r[0] === '`mcpSampling.approval`')!;
  assert.equal(approval[1], 'string: `"ask"`, `"auto"`, `"deny"`');
});

test('resolves %key% descriptions through package.nls.json and escapes pipes', async () => {
  const { settingsTable } = await loadModule();
  const table = settingsTable(
    { contributes: { configuration: { properties: { 'x.a': { type: ['string', 'null'], default: 'a|b', scope: 'window', description: '%x.a%' } } } } },
    { 'x.a': 'Line one\nline | two' },
  );
  assert.equal(table.split('\n')[2], '| `x.a` | string \\| null | `"a\\|b"` | window | Line one line \\| two |');
});

test('--write replaces only the text between the markers', async () => {
  const { replaceTable, currentTable, START, END } = await loadModule();
  const readme = `# Title\n\nBefore.\n${START}\nold table\n${END}\nAfter.\n`;
  const updated = replaceTable(readme, '| new |\n');
  assert.equal(updated, `# Title\n\nBefore.\n${START}\n| new |\n${END}\nAfter.\n`);
  assert.equal(currentTable(updated), '| new |\n');
  assert.equal(currentTable('# no markers'), undefined);
  assert.throws(() => replaceTable('# no markers', '| x |\n'), /markers/);
});

test('README.md settings table is in sync with package.json (when README has the markers)', async (t) => {
  const { currentTable } = await loadModule();
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  if (currentTable(readme) === undefined) {
    // The README gets its markers from the docs work; until then there is nothing to compare.
    t.diagnostic('README.md has no settings markers yet');
    return;
  }
  const result = run('--check');
  assert.equal(result.status, 0, `${result.stderr.trim()}\nREADME.md's settings table is out of date: run \`node scripts/settings-table.mjs --write\``);
});

test("package.json's settings are exactly what src/core/settings.ts generates (run `node scripts/settings-table.mjs --write`)", async () => {
  const { generatedProperties, withProperties } = await loadModule();
  const properties = await generatedProperties();
  assert.deepEqual(Object.keys(properties), settingNames, 'one property per setting, in table order');
  const manifestText = readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
  assert.equal(withProperties(manifestText, properties), manifestText);
  const providers = properties['mcpSampling.providers'] as { items: { properties: { kind: { enum: string[] } } } };
  assert.deepEqual(providers.items.properties.kind.enum, ['openai-compatible'], 'the kind enum comes from kinds.json');
});

test('a changed setting shows in the generated package.json, and nothing else moves', async () => {
  const { generatedProperties, withProperties } = await loadModule();
  const properties = await generatedProperties();
  const manifestText = readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
  const changed = { ...properties, 'mcpSampling.paused': { ...properties['mcpSampling.paused'], markdownDescription: 'Changed.' } };
  const before = manifestText.split('\n');
  const after = withProperties(manifestText, changed).split('\n');
  assert.equal(after.length, before.length);
  const differing = after.flatMap((line, i) => (line === before[i] ? [] : [line.trim()]));
  assert.deepEqual(differing, ['"markdownDescription": "Changed."']);
});
