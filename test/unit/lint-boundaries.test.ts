// The layering rules are lint errors: prove they fire, so a broken config cannot pass silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { probeEslint } from '../support/eslintProbe';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const eslint = probeEslint({ cwd: repoRoot });

async function restrictedImportErrors(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

test('src/core importing vscode is a lint error', async () => {
  const errors = await restrictedImportErrors("import * as vscode from 'vscode';\nexport const v = vscode.version;\n", 'src/core/__probe__.ts');
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /must not import vscode/);
});

test('src/core importing the VS Code glue is a lint error', async () => {
  const errors = await restrictedImportErrors("import { x } from '../vscode/config';\nexport const y = x;\n", 'src/core/__probe__.ts');
  assert.equal(errors.length, 1);
});

test('src/webview importing a Node module is a lint error', async () => {
  const errors = await restrictedImportErrors("import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n", 'src/webview/__probe__.ts');
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /browser/);
});

test('src/vscode may import vscode (the rule is scoped, not global)', async () => {
  const errors = await restrictedImportErrors("import * as vscode from 'vscode';\nexport const v = vscode.version;\n", 'src/vscode/__probe__.ts');
  assert.deepEqual(errors, []);
});

// Cycles need files on disk (the rules follow imports), so these lint a small tree in a temporary folder
// with this repository's config.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

async function lintTree(files: Record<string, string>): Promise<{ file: string; ruleId: string | null; message: string }[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lint-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    const probe = probeEslint({ cwd: dir, overrideConfigFile: path.join(repoRoot, 'eslint.config.mjs') });
    const results = await probe.lintFiles(Object.keys(files));
    return results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => ({ file: path.relative(dir, r.filePath).split(path.sep).join('/'), ruleId: m.ruleId, message: m.message })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an import cycle between two files of src/ is a lint error (import-x/no-cycle)', async () => {
  const errors = await lintTree({
    'src/vscode/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
    'src/vscode/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  });
  assert.deepEqual(errors.map((e) => `${e.file} ${e.ruleId}`).sort(), ['src/vscode/a.ts import-x/no-cycle', 'src/vscode/b.ts import-x/no-cycle']);
});

test('a cycle through a type-only import is a lint error too', async () => {
  const errors = await lintTree({
    'src/vscode/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
    'src/vscode/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
  });
  assert.deepEqual(errors.map((e) => `${e.file} ${e.ruleId}`).sort(), ['src/vscode/a.ts structure/no-type-cycle', 'src/vscode/b.ts structure/no-type-cycle']);
  assert.match(errors[0]?.message ?? '', /src\/vscode\/a\.ts <-> src\/vscode\/b\.ts/);
});

test('two folders of src/core importing each other (without a file cycle) is a lint error', async () => {
  const errors = await lintTree({
    'src/core/alpha/one.ts': "import { two } from '../beta/two';\nexport const one = () => two;\n",
    'src/core/alpha/three.ts': 'export const three = 3;\n',
    'src/core/beta/two.ts': "import { three } from '../alpha/three';\nexport const two = () => three;\n",
  });
  assert.deepEqual(errors.map((e) => `${e.file} ${e.ruleId}`).sort(), ['src/core/alpha/one.ts structure/no-folder-cycle', 'src/core/beta/two.ts structure/no-folder-cycle']);
  assert.match(errors[0]?.message ?? '', /src\/core\/alpha -> src\/core\/beta -> src\/core\/alpha/);
});

test('imports in one direction only pass (the cycle rules do not fire on a clean tree)', async () => {
  const errors = await lintTree({
    'src/core/alpha/one.ts': "import { two } from '../beta/two';\nimport type { T } from './types';\nexport const one = (t: T) => two + t;\n",
    'src/core/alpha/types.ts': 'export type T = number;\n',
    'src/core/beta/two.ts': 'export const two = 2;\n',
  });
  assert.deepEqual(errors, []);
});
