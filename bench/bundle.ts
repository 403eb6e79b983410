/**
 * What the activation cost is made of: the size of dist/extension.js as shipped in the VSIX, the
 * largest contributors to dist/lazy-main.js, the composition root activate() loads after yielding
 * (an esbuild metafile of the same production build as scripts/build.mjs, built in memory), and the
 * time to require() each of the two shipped bundles in fresh plain-Node processes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { vsixPath } from '../test/harness/session';
import { repoRoot } from './rigs';
import { parseArgs, round, roundSummary, summarize } from './stats';
import { runMain, writeResult } from './output';
import { readZipEntry } from './zip';

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match) return match[1]!;
  return input.startsWith('src/') ? input.split('/').slice(0, 2).join('/') : input;
}

/** Our own code that activation does not load (dist/lazy-*.js), as shipped. */
function lazyBundleSizes(): { file: string; bytes: number }[] {
  const dist = path.join(repoRoot, 'dist');
  return existsSync(dist) ? readdirSync(dist).filter((f) => /^lazy-.*\.js$/.test(f)).map((file) => ({ file, bytes: statSync(path.join(dist, file)).size })) : [];
}

/** require() of a shipped bundle in `runs` fresh processes (after one that warms the file cache): wall and CPU. */
function requireTimes(bundle: Buffer, runs: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-bench-require-'));
  try {
    const file = path.join(dir, 'bundle.js');
    writeFileSync(file, bundle);
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const out = execFileSync(process.execPath, [path.join(repoRoot, 'out', 'bench', 'requireTime.js'), file], { encoding: 'utf8', timeout: 30_000 });
      const [wall, used] = out.trim().split(/\s+/).map(Number);
      if (i === 0) continue;
      times.push(wall!);
      cpu.push(used!);
    }
    return { wall: roundSummary(summarize(times), 2), cpu: roundSummary(summarize(cpu), 2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = parseArgs();
  // The same options as scripts/build.mjs (its vendor and lazy-module plugins included), only the activation entry.
  const { targets } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'build.mjs')).href)) as { targets: esbuild.BuildOptions[] };
  const result = await esbuild.build({
    ...targets[0],
    absWorkingDir: repoRoot,
    // What activation loads (the shell) and what it loads after yielding (the composition root).
    entryPoints: { extension: 'src/extension.ts', 'lazy-main': 'src/vscode/composition.ts' },
    minify: true,
    sourcemap: false,
    write: false,
    outdir: 'out/bench/bundle-analysis',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const shell = outputs.find(([file]) => file.endsWith('/extension.js'))![1];
  const output = outputs.find(([file]) => file.endsWith('/lazy-main.js'))![1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  const topInputs = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, bytes]) => ({ name, bytes }));

  const runs = args.quick ? 5 : 15;
  const shipped = readZipEntry(vsixPath(), 'extension/dist/extension.js');
  const shippedMain = readZipEntry(vsixPath(), 'extension/dist/lazy-main.js');
  const extension = shipped ? requireTimes(shipped, runs) : undefined;
  const composition = shippedMain ? requireTimes(shippedMain, runs) : undefined;
  writeResult(args.out, {
    section: 'bundle',
    vsixDistExtensionJsBytes: shipped?.length,
    analysedShellBytes: shell.bytes,
    analysedBundleBytes: output.bytes,
    analysedBundle: 'dist/lazy-main.js',
    topInputs: topInputs.map((t) => ({ ...t, share: round(t.bytes / output.bytes, 3) })),
    requireMs: extension?.wall,
    requireCpuMs: extension?.cpu,
    lazyMainRequireMs: composition?.wall,
    lazyMainRequireCpuMs: composition?.cpu,
    lazyBundles: lazyBundleSizes(),
  });
}

runMain(main);
