// Reading V8 CPU profiles of a bench bundle: which source file of ours each line of the bundle is
// (esbuild's `// src/...` markers), and self time by category (a library, a Node subsystem, a file
// of ours). Shared by bench/profileRun.mjs and bench/profileConcurrency.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Source file of each line of the bundle, from esbuild's `// src/...` comments. */
export function sourceMap(bundle) {
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

export function category(frame, files, bundleName) {
  const url = frame.url ?? '';
  if (!url) return frame.functionName || '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return `lib ${parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (url.startsWith('node:')) return `node ${url.split('/').slice(0, 3).join('/')}`;
  if (url.endsWith(bundleName)) return `own ${files[frame.lineNumber] ?? '(bundle)'}`;
  if (url.startsWith('wasm')) return 'wasm (undici llhttp)';
  return `other ${path.basename(url)}`;
}

/** Microseconds of self time by category (idle excluded) over the whole profile, divided by `per`. */
export function summarize(file, files, bundleName, per) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byCategory = new Map();
  for (const node of profile.nodes) {
    const us = self.get(node.id);
    if (!us || node.callFrame.functionName === '(idle)') continue;
    const key = category(node.callFrame, files, bundleName);
    byCategory.set(key, (byCategory.get(key) ?? 0) + us / per);
  }
  return byCategory;
}

/** Prints two rigs' categories side by side, largest difference first. */
export function printDifference(ext, base, unit) {
  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU (${unit}): extension ${sum(ext).toFixed(0)}, baseline ${sum(base).toFixed(0)}, difference ${(sum(ext) - sum(base)).toFixed(0)}`);
  const keys = [...new Set([...ext.keys(), ...base.keys()])];
  const rows = keys.map((k) => [k, ext.get(k) ?? 0, base.get(k) ?? 0]).sort((a, b) => b[1] - b[2] - (a[1] - a[2]));
  console.log(`${'where'.padEnd(58)} ${'ext'.padStart(7)} ${'base'.padStart(7)} ${'diff'.padStart(7)}`);
  for (const [k, e, b] of rows) if (Math.abs(e - b) >= 2 || e >= 20) console.log(`${k.slice(0, 58).padEnd(58)} ${e.toFixed(1).padStart(7)} ${b.toFixed(1).padStart(7)} ${(e - b).toFixed(1).padStart(7)}`);
  return rows;
}
