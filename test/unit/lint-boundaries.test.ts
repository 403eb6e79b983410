// The layering rules are lint errors: prove they fire, so a broken config cannot pass silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

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
