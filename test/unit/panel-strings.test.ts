// The host's localization of the panel's words (src/vscode/panel/panelStrings.ts) is generated from
// the English table in src/shared/panelStrings.ts by scripts/panel-strings.mjs (`npm run l10n`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const script = path.join(repoRoot, 'scripts', 'panel-strings.mjs');

interface PanelStringsScript {
  generate(sourceText: string): string;
  panelEntries(sourceText: string): { key: string; text: string; comments: string[] }[];
  SOURCE: string;
  TARGET: string;
}
// Loaded at run time (not bundled): the script is an ES module run by Node as it is.
const loadScript = (): Promise<PanelStringsScript> => import(pathToFileURL(script).href) as Promise<PanelStringsScript>;

test('src/vscode/panel/panelStrings.ts is what the script generates from the shared English table', async () => {
  const { generate, SOURCE, TARGET } = await loadScript();
  const expected = generate(readFileSync(path.join(repoRoot, SOURCE), 'utf8'));
  assert.equal(readFileSync(path.join(repoRoot, TARGET), 'utf8'), expected, 'run `npm run l10n` and commit the generated file');
  const check = spawnSync(process.execPath, [script, '--check'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
  assert.equal(check.status, 0, check.stderr);
});

test('a new entry becomes one literal vscode.l10n.t line, with its comment and any quote kept', async () => {
  const { generate } = await loadScript();
  const source = [
    'export const PANEL_STRINGS = {',
    "  approve: 'Approve',",
    '  // The answer',
    `  tokens: "the model's {0} limit",`,
    "  back: 'a \\\\ b \"quoted\"',",
    '} as const;',
  ].join('\n');
  const lines = generate(source).split('\n');
  assert.ok(lines.includes("  approve: () => vscode.l10n.t('Approve'),"));
  const comment = lines.indexOf('  // The answer');
  assert.ok(comment > 0);
  assert.equal(lines[comment + 1], `  tokens: () => vscode.l10n.t("the model's {0} limit"),`);
  assert.equal(lines[comment + 2], `  back: () => vscode.l10n.t('a \\\\ b "quoted"'),`);
});

test('an entry that is not a literal text is refused, naming the file', async () => {
  const { generate } = await loadScript();
  assert.throws(() => generate("const x = 'a';\nexport const PANEL_STRINGS = { approve: x } as const;"), /src\/shared\/panelStrings\.ts: every PANEL_STRINGS entry/);
  assert.throws(() => generate('export const OTHER = {};'), /no PANEL_STRINGS object literal/);
});
