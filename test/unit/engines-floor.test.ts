// The floor engines.vscode claims is the one the code is compiled against (@types/vscode: an API newer
// than the floor does not typecheck, so it cannot be used without a feature check) and the one the
// smoke suite runs (test/e2e/oldest.test.ts on code-server OLDEST_CODE_SERVER_VERSION).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OLDEST_CODE_SERVER_VERSION } from '../harness/paths';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const majorMinor = (version: string) => version.replace(/^[\^~]/, '').split('.').slice(0, 2).join('.');

test('engines.vscode, @types/vscode and the smoke suite’s VS Code name the same floor', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { vscode: string }; devDependencies: Record<string, string> };
  const types = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')) as { version: string };
  const floor = majorMinor(pkg.engines.vscode);
  assert.equal(majorMinor(types.version), floor, `@types/vscode ${types.version} is not the engines floor ${pkg.engines.vscode}`);
  assert.equal(majorMinor(pkg.devDependencies['@types/vscode']!), floor);
  // code-server 4.x.y carries VS Code 1.x.y.
  assert.equal(majorMinor(OLDEST_CODE_SERVER_VERSION.replace(/^4\./, '1.')), floor);
});
