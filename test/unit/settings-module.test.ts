// Settings are read only through src/vscode/config.ts, and only through the table of core/settings;
// the history is one object per window (the store the view reads is the pipeline's sink).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS } from '../../src/core/settings';

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

test('config.ts names no setting by a literal key: every read and write goes through the table', () => {
  const config = files.find((f) => f.file === 'src/vscode/config.ts')!.text;
  const literal = [...config.matchAll(/\.(?:get|inspect|update)(?:<[^>]*>)?\(\s*['"`]([^'"`]+)/g)].map((m) => m[1]!);
  assert.deepEqual(literal, []);
});

test('every setting of the table is used somewhere in src/', () => {
  const text = files.filter((f) => f.file !== 'src/core/settings.ts').map((f) => f.text).join('\n');
  const unused = Object.keys(SETTINGS).filter((name) => !text.includes(`SETTINGS.${name}`) && !text.includes(`'${name}'`));
  assert.deepEqual(unused, []);
});

test('the history is built once: JsonlHistory is constructed only by the store the view reads', () => {
  const constructing = files.filter((f) => f.file.startsWith('src/') && /new JsonlHistory\(/.test(f.text)).map((f) => f.file);
  assert.deepEqual(constructing.filter((f) => !f.startsWith('src/cli/')), ['src/vscode/history/historyStore.ts']);
});
