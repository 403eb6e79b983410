// `npm test`: every check, in order of cost, with a pass/fail summary at the end.
// Stops at the first failing step (later steps build on earlier ones).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

// Written by test/node-test.mjs: one line per failed test.
const failuresDir = 'out/test-failures';
rmSync(failuresDir, { recursive: true, force: true });

const steps = [
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['unit tests (plain Node)', 'npm', ['run', '--silent', 'test:unit']],
  ['integration + end-to-end (real VS Code)', 'npm', ['run', '--silent', 'test:vscode']],
];

const summary = [];
let failed = false;
for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  summary.push(`${status === 0 ? 'PASS' : 'FAIL'}  ${name} (${seconds} s)`);
  if (status !== 0) {
    failed = true;
    break;
  }
}
console.log('\n=== summary ===');
for (const line of summary) console.log(line);
const passed = summary.filter((l) => l.startsWith('PASS')).length;
console.log(`steps: ${passed} passed, ${summary.length - passed} failed${summary.length < steps.length ? `, ${steps.length - summary.length} not run` : ''}`);
// Repeated here because CI shows only the end of the output.
const failures = existsSync(failuresDir)
  ? readdirSync(failuresDir).flatMap((name) => readFileSync(path.join(failuresDir, name), 'utf8').split('\n')).filter(Boolean)
  : [];
if (failures.length > 0) {
  console.log(`\nfailed tests (${failures.length}):`);
  for (const line of failures.slice(0, 30)) console.log(`  ${line}`);
  if (failures.length > 30) console.log(`  … and ${failures.length - 30} more above`);
}
process.exit(failed ? 1 : 0);
