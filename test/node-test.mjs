// Runs `node --test` on the compiled test files under one folder, named one by one: Node 20 takes a
// folder, Node 22 and 24 take only files or globs, and globs are not expanded by Node 20.
//   node test/node-test.mjs <folder> [node --test options…]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const [folder, ...options] = process.argv.slice(2);
if (!folder || !existsSync(folder)) {
  console.error(`node-test: no folder ${folder ?? '(none given)'}; build the tests first (node test/build-tests.mjs)`);
  process.exit(2);
}
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const full = path.join(dir, name);
  return statSync(full).isDirectory() ? walk(full) : full.endsWith('.test.js') ? [full] : [];
});
const files = walk(folder).sort();
if (files.length === 0) {
  console.error(`node-test: no *.test.js under ${folder}`);
  process.exit(2);
}
const { status, signal } = spawnSync(process.execPath, ['--test', ...options, ...files], { stdio: 'inherit' });
process.exit(status ?? (signal ? 1 : 0));
