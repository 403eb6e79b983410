// Compares CPU profiles of the concurrency section's two rig processes (bench/concurrencyRig.ts):
// self time by library, Node subsystem and source file of ours, over each process's whole life
// (start-up and warm-up included, so one-off costs show as well).
//
//   MCP_SAMPLING_BENCH_CPU_PROF=/tmp/rig-profiles npm run bench -- --only concurrency --quick
//   node bench/profileConcurrency.mjs /tmp/rig-profiles
//
// Not a section of `npm run bench`: a tool for reading what the throughput ratio is made of.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printDifference, sourceMap, summarize } from './profileRead.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/profileConcurrency.mjs <the MCP_SAMPLING_BENCH_CPU_PROF folder>');
const bundle = path.join(root, 'out', 'bench', 'concurrencyRig.js');
const files = sourceMap(bundle);
const read = (rig) => {
  const folder = path.join(dir, rig);
  const profile = readdirSync(folder).find((f) => f.endsWith('.cpuprofile'));
  if (!profile) throw new Error(`no profile in ${folder}`);
  return summarize(path.join(folder, profile), files, 'concurrencyRig.js', 1000);
};
printDifference(read('extension'), read('baseline'), 'ms over the process, self time');
