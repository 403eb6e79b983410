// Bundles bench/*.ts into out/bench/ (CommonJS, node_modules external), like test/build-tests.mjs.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export async function buildBench(root) {
  const dir = path.join(root, 'bench');
  const entryPoints = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
  const outdir = path.join(root, 'out', 'bench');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build({ entryPoints, outdir, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', packages: 'external', logLevel: 'warning' });
}
