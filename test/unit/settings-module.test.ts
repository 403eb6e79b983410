// Settings are read only through src/vscode/config.ts, and it reads only keys package.json contributes;
// the history is one object per window (the store the view reads is the pipeline's sink).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SETTING_KEYS } from '../../src/core/settingKeys';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const files = sources(path.join(repoRoot, 'src')).map((f) => ({ file: path.relative(repoRoot, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }));

test('only src/vscode/config.ts calls getConfiguration or inspects mcpSampling settings', () => {
  const offenders = files.filter((f) => f.file !== 'src/vscode/config.ts' && /\.getConfiguration\(|affectsConfiguration\(\s*['"`]mcpSampling/.test(f.text)).map((f) => f.file);
  assert.deepEqual(offenders, []);
});

test('every key config.ts reads or writes is a contributed setting', () => {
  const config = files.find((f) => f.file === 'src/vscode/config.ts')!.text;
  const used = [...config.matchAll(/\.(?:get|inspect|update)(?:<[^>]*>)?\(\s*'([^']+)'/g)].map((m) => m[1]!);
  assert.ok(used.length >= 15, `config.ts reads the settings (found ${used.length} keys)`);
  const unknown = used.filter((k) => !(k in SETTING_KEYS));
  assert.deepEqual(unknown, []);
  const unread = Object.keys(SETTING_KEYS).filter((k) => !used.includes(k));
  assert.deepEqual(unread, [], 'every contributed setting is read through config.ts');
});

test('the history is built once: JsonlHistory is constructed only by the store the view reads', () => {
  const constructing = files.filter((f) => f.file.startsWith('src/') && /new JsonlHistory\(/.test(f.text)).map((f) => f.file);
  assert.deepEqual(constructing.filter((f) => !f.startsWith('src/cli/')), ['src/vscode/history/historyStore.ts']);
});
