// Runs `node --test` on the compiled test files under one folder, named one by one: Node 20 takes a
// folder, Node 22 and 24 take only files or globs, and globs are not expanded by Node 20.
//   node test/node-test.mjs <folder> [node --test options…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

// One file of failed tests per folder run, read back by test/run-all.mjs for its summary.
const failuresDir = 'out/test-failures';

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
// Every reporter needs its own destination once there are two; ours lists the failures for run-all.
const reporters = options.some((option) => option.startsWith('--test-reporter=')) ? options : ['--test-reporter=spec', ...options];
const withDestinations = reporters.flatMap((option, i) =>
  option.startsWith('--test-reporter=') && !reporters[i + 1]?.startsWith('--test-reporter-destination=')
    ? [option, '--test-reporter-destination=stdout']
    : [option],
);
mkdirSync(failuresDir, { recursive: true });
const failuresFile = path.join(failuresDir, `${folder.replace(/[^\w.-]+/g, '_')}.txt`);
rmSync(failuresFile, { force: true });
const failuresReporter = [
  `--test-reporter=${new URL('./failures-reporter.mjs', import.meta.url).href}`,
  `--test-reporter-destination=${failuresFile}`,
];
const { status, signal } = spawnSync(
  process.execPath,
  ['--test', ...withDestinations, ...failuresReporter, ...files],
  { stdio: 'inherit' },
);
process.exit(status ?? (signal ? 1 : 0));
