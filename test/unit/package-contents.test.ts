// The VSIX holds only what runs: .vscodeignore is an allowlist, checked through `vsce ls`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import kindTable from '../../src/core/providers/kinds.json';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** dist/vendor holds the MCP SDK and the libraries the provider kinds load (kinds.json), as scripts/build.mjs builds them. */
const VENDORS = ['mcp-sdk', ...Object.values(kindTable).flatMap((kind) => kind.vendor)];
const vendorFile = (file: string) => VENDORS.some((name) => file === `dist/vendor/${name}.js`);
const RUNTIME = [/^dist\/(extension|lazy-[a-z]+)\.js$/, /^dist\/webview\/[^/]+\.(js|css)$/, /^dist\/demo\/server\.js$/, /^media\/([^/]+\.(png|svg|css)|walkthrough\/[^/]+\.md)$/, /^(package\.json|package\.nls\.json|README\.md|CHANGELOG\.md|LICENSE)$/, /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/];

test('vsce lists only runtime files for the VSIX', () => {
  const out = execFileSync('npx', ['--no-install', 'vsce', 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files = out.split('\n').map((l) => l.trim()).filter(Boolean);
  assert.ok(files.includes('package.json'), `vsce ls listed: ${files.join(', ')}`);
  const stray = files.filter((f) => !vendorFile(f) && !RUNTIME.some((re) => re.test(f)));
  assert.deepEqual(stray, [], 'files that do not run must not ship');
  for (const f of files) assert.doesNotMatch(f, /\.map$|^src\/|^test\/|^node_modules\//);
  // package.json's `l10n` points VS Code at this folder: without the bundle, translations have no base.
  assert.ok(files.includes('l10n/bundle.l10n.json'), 'the l10n bundle ships');
});
