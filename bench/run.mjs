// `npm run bench [-- --quick] [--soak-seconds N] [--only a,b] [--skip-workbench]`
// Sections: history, roundtrip, paths (input_required and gateway), concurrency (the extension and the
// bare client alternating round by round, each in its own process), soak, bundle, workbench, peer (VS
// Code's own MCP client beside us).
// Builds what the benchmarks need, runs each section in its own Node process (with --expose-gc, so
// memory is read after forced collections and one section's memory does not leak into another's),
// writes the JSON report to bench/results/, regenerates BENCHMARKS.md and prints the table.
// Every section has a time limit; a section that fails or times out is reported as such.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBench } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const quick = argv.includes('--quick');
const soakSeconds = flag('--soak-seconds') !== undefined ? Math.min(600, Math.max(1, Number(flag('--soak-seconds')) || 60)) : undefined;
const only = flag('--only')?.split(',');
const skipWorkbench = argv.includes('--skip-workbench');
const started = Date.now();
/** Things the reader of the report must know (e.g. a stale VSIX). */
const warnings = [];
const log = (text) => process.stderr.write(`[bench] ${text}\n`);
const step = (cmd, args) => {
  log(`${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
};

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(target).map((name) => newestMtime(path.join(target, name))));
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);

const sections = [
  { key: 'history', file: 'history.js', limitS: 180 },
  { key: 'roundtrip', file: 'roundtrip.js', limitS: 600 },
  { key: 'paths', file: 'paths.js', limitS: 300 },
  { key: 'llmEndpoint', file: 'llmEndpoint.js', limitS: 300 },
  { key: 'concurrency', file: 'concurrency.js', limitS: 900 },
  { key: 'soak', file: 'soak.js', args: soakSeconds ? ['--soak-seconds', String(soakSeconds)] : [], limitS: 2 * (soakSeconds ?? 60) + 320 },
  { key: 'bundle', file: 'bundle.js', limitS: 300, vsix: true },
  { key: 'workbench', file: 'workbench.js', limitS: 660, vsix: true, harness: true },
  // Megabyte requests in the panel (100 KB, 2 MB, 10 MB; quick: the first two), its own session.
  { key: 'bigRequests', file: 'bigRequests.js', limitS: 960, vsix: true, harness: true },
  // A second workbench session (~1-2 min): full runs only, unless asked for with --only peer.
  { key: 'peer', file: 'peer.js', limitS: 420, vsix: true, harness: true, fullOnly: true },
].filter((s) => (!only || only.includes(s.key)) && !(skipWorkbench && s.harness) && !(quick && s.fullOnly && !only));

// `--report-only`: re-render BENCHMARKS.md and the table from bench/results/latest.json, the last
// run that wrote BENCHMARKS.md (a partial run leaves both alone), e.g. after editing bench/notes.md.
if (argv.includes('--report-only')) {
  await buildBench(root);
  const require = createRequire(import.meta.url);
  const { renderMarkdown, buildRows, renderTable } = require('../out/bench/report.js');
  const report = JSON.parse(readFileSync(path.join(root, 'bench', 'results', 'latest.json'), 'utf8'));
  writeFileSync(path.join(root, 'BENCHMARKS.md'), renderMarkdown(report, readFileSync(path.join(root, 'bench', 'notes.md'), 'utf8')));
  process.stdout.write(`${renderTable(buildRows(report))}\n`);
  process.exit(0);
}

// ---- build ----
await buildBench(root);
if (sections.some((s) => s.harness)) {
  // The harness pieces are built only when missing, so a run never rewrites files a running test uses.
  if (!existsSync('out/test/helper-extension/package.json') || !existsSync('out/test/harness/install.js')) step('node', ['test/build-tests.mjs', 'integration', 'e2e']);
  step('node', ['out/test/harness/install.js']);
}
if (sections.some((s) => s.vsix)) {
  const sourcesChanged = Math.max(newestMtime('src'), newestMtime('media'), newestMtime('package.json'), newestMtime('scripts'));
  if (!existsSync(vsix) || statSync(vsix).mtimeMs < sourcesChanged) {
    try {
      step('npm', ['run', '--silent', 'package']);
    } catch (error) {
      const when = existsSync(vsix) ? `the VSIX built ${new Date(statSync(vsix).mtimeMs).toISOString().slice(0, 16).replace('T', ' ')} UTC was measured instead` : 'there is no VSIX, so the workbench sections fail';
      warnings.push(`\`npm run package\` failed (${String(error.message).split('\n')[0]}); ${when}.`);
      log(warnings[warnings.length - 1]);
    }
  } else log(`${path.basename(vsix)} is up to date`);
}

// ---- run ----
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(root, 'bench', 'results', stamp);
mkdirSync(resultsDir, { recursive: true });
const require = createRequire(import.meta.url);
const { machineInfo } = require('../out/bench/stats.js');
const machine = machineInfo();
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current) current.kill('SIGTERM');
    setTimeout(() => process.exit(130), 12_000).unref();
  });
}

function runSection(section) {
  const out = path.join(resultsDir, `${section.key}.json`);
  const args = ['--expose-gc', path.join('out', 'bench', section.file), ...(quick ? ['--quick'] : []), ...(section.args ?? []), '--out', out];
  log(`${section.key}: node ${args.join(' ')}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    current = child;
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
      process.stderr.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // sections stop what they started on SIGTERM (the workbench stops code-server)
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000).unref();
    }, section.limitS * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      current = undefined;
      log(`${section.key}: ${code === 0 ? 'done' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (code === 0 && existsSync(out)) resolve(JSON.parse(readFileSync(out, 'utf8')));
      else resolve({ error: timedOut ? `timed out after ${section.limitS} s` : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}` });
    });
  });
}

const results = {};
for (const section of sections) results[section.key] = await runSection(section);

// ---- report ----
const { renderMarkdown, buildRows, renderTable } = require('../out/bench/report.js');
const input = { machine, mode: quick ? 'quick' : 'full', durationSeconds: (Date.now() - started) / 1000, warnings, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100), sections: results };
const report = { ...input, argv };
writeFileSync(path.join(resultsDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
if (!only && !skipWorkbench) {
  // latest.json is what --report-only renders, so only a run that writes BENCHMARKS.md replaces it.
  writeFileSync(path.join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const notes = readFileSync(path.join(root, 'bench', 'notes.md'), 'utf8');
  writeFileSync(path.join(root, 'BENCHMARKS.md'), renderMarkdown(input, notes));
  log('BENCHMARKS.md regenerated');
} else log('a partial run (--only/--skip-workbench): BENCHMARKS.md left as it is');
process.stdout.write(`\n${renderTable(buildRows(input))}\n\nMachine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}. Report: ${path.relative(root, resultsDir)}/report.json\n`);
log(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
