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
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printDifference, sourceMap, summarize } from './profileRead.mjs';

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
    for (const [key, us] of summarize(path.join(dir, profileFile), files, 'profile.js', count + WARMUP)) totals[rig].set(key, (totals[rig].get(key) ?? 0) + us / runs);
  }
}

const [ext, base] = rigs.map((rig) => totals[rig]);
const rows = printDifference(ext, base, `µs per request in profiled samples, mean of ${runs} runs each`);
const own = rows.filter(([k]) => k.startsWith('own src/'));
console.log(`\nown code (src/) in the extension: ${own.reduce((a, [, e]) => a + e, 0).toFixed(0)} µs per request`);
console.log(`profiles: ${outDir}`);
