// Profiles the round trip of the extension's core and of the bare streaming client, alternating
// (extension, baseline, extension, baseline) so that the machine's load falls on both, and prints
// where each one's CPU goes per request: by library / Node subsystem, and our own code by source
// file (the bundle's `// src/...` markers), with the difference between the two rigs.
//
//   npm run bench -- --only history   (or any section: builds out/bench/)
//   node bench/profileRun.mjs [--count 3000] [--runs 2] [--out /tmp/mcp-sampling-profiles]
//
// Not a section of `npm run bench`: a tool for reading what a missed round-trip target is made of.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const count = Math.min(20_000, Math.max(100, Number(option('--count', 3000))));
const runs = Math.min(5, Math.max(1, Number(option('--runs', 2))));
const outDir = option('--out', path.join(root, 'bench', 'results', 'profiles'));
const driver = path.join(root, 'out', 'bench', 'profile.js');
const rigs = ['extension', 'baseline-stream'];
const WARMUP = 200;

/** Source file of each line of the bundle, from esbuild's `// src/...` comments. */
function sourceMap(bundle) {
  const lines = readFileSync(bundle, 'utf8').split('\n');
  const files = new Array(lines.length);
  let current = '(bundle)';
  lines.forEach((line, i) => {
    const marker = /^\/\/ ((?:src|bench|test)\/\S+)$/.exec(line);
    if (marker) current = marker[1];
    files[i] = current;
  });
  return files;
}

function category(frame, files) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName || '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return `lib ${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) return `node ${url.split('/').slice(0, 3).join('/')}`;
  if (url.endsWith('profile.js')) return `own ${files[frame.lineNumber] ?? '(bundle)'}`;
  if (url.startsWith('wasm')) return 'wasm (undici llhttp)';
  return `other ${path.basename(url)}`;
}

/** Microseconds of CPU per request by category (idle excluded), over the whole profiled process. */
function summarize(file, files, requests) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byCategory = new Map();
  for (const node of profile.nodes) {
    const us = self.get(node.id);
    if (!us || node.callFrame.functionName === '(idle)') continue;
    const key = category(node.callFrame, files);
    byCategory.set(key, (byCategory.get(key) ?? 0) + us / requests);
  }
  return byCategory;
}

rmSync(outDir, { recursive: true, force: true });
const files = sourceMap(driver);
const totals = Object.fromEntries(rigs.map((rig) => [rig, new Map()]));
for (let run = 1; run <= runs; run++) {
  for (const rig of rigs) {
    const dir = path.join(outDir, `${rig}-${run}`);
    mkdirSync(dir, { recursive: true });
    const child = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, driver, '--rig', rig, '--count', String(count)], { encoding: 'utf8', timeout: 600_000 });
    if (child.status !== 0) throw new Error(`${rig} run ${run} failed: ${child.stderr || child.error?.message}`);
    const printed = JSON.parse(child.stdout);
    const round = printed.rounds[0];
    console.log(`${rig} run ${run}: p50 ${round.p50} ms, CPU ${round.cpuUsPerRequest} µs per request (process.cpuUsage, the profiled rounds)`);
    const profileFile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    // The profile covers the whole process: the warm-up requests and start-up are spread over the count.
    for (const [key, us] of summarize(path.join(dir, profileFile), files, count + WARMUP)) totals[rig].set(key, (totals[rig].get(key) ?? 0) + us / runs);
  }
}

const [ext, base] = rigs.map((rig) => totals[rig]);
const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
console.log(`\nCPU per request in profiled samples (µs, mean of ${runs} runs each): extension ${sum(ext).toFixed(0)}, baseline ${sum(base).toFixed(0)}, difference ${(sum(ext) - sum(base)).toFixed(0)}`);
const keys = [...new Set([...ext.keys(), ...base.keys()])];
const rows = keys.map((k) => [k, ext.get(k) ?? 0, base.get(k) ?? 0]).sort((a, b) => b[1] - b[2] - (a[1] - a[2]));
console.log(`${'where'.padEnd(58)} ${'ext'.padStart(7)} ${'base'.padStart(7)} ${'diff'.padStart(7)}`);
for (const [k, e, b] of rows) if (Math.abs(e - b) >= 2 || e >= 20) console.log(`${k.slice(0, 58).padEnd(58)} ${e.toFixed(1).padStart(7)} ${b.toFixed(1).padStart(7)} ${(e - b).toFixed(1).padStart(7)}`);
const own = rows.filter(([k]) => k.startsWith('own src/'));
console.log(`\nown code (src/) in the extension: ${own.reduce((a, [, e]) => a + e, 0).toFixed(0)} µs per request`);
console.log(`profiles: ${outDir}`);
