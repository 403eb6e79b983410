// Compiles the tests (TypeScript) with esbuild into out/test/, keeping node_modules external so
// they resolve from the repo at run time:
//   unit/        node --test files (plain Node, no vscode)
//   integration/ the mocha suite run inside a real extension host
//   fixtures/    MCP servers and stubs the tests start as processes
//   helper-extension/ the test-only extension (deterministic language model + suite runner)
//   e2e/, harness/ the browser tests against the real workbench and the harness that starts it
import * as esbuild from 'esbuild';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

function walk(dir, filter) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, filter) : filter(full) ? [full] : [];
  });
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', packages: 'external', logLevel: 'warning' };

const builds = [];
const entries = (dir, suffix) => walk(dir, (f) => f.endsWith(suffix));
if (want('unit')) {
  rmSync('out/test/unit', { recursive: true, force: true });
  builds.push(esbuild.build({ ...common, entryPoints: walk('test/unit', (f) => f.endsWith('.test.ts')), outdir: 'out/test/unit', outbase: 'test/unit' }));
}
if (want('fixtures')) {
  const fixtures = entries('test/fixtures', '.ts');
  if (fixtures.length) builds.push(esbuild.build({ ...common, entryPoints: fixtures, outdir: 'out/test/fixtures', outbase: 'test/fixtures' }));
}
if (want('e2e')) {
  rmSync('out/test/e2e', { recursive: true, force: true });
  builds.push(esbuild.build({ ...common, entryPoints: [...entries('test/e2e', '.test.ts'), 'test/harness/install.ts', 'test/harness/demo.ts'], outdir: 'out/test', outbase: 'test' }));
}
if (want('integration')) {
  rmSync('out/test/integration', { recursive: true, force: true });
  builds.push(esbuild.build({ ...common, entryPoints: walk('test/integration', (f) => f.endsWith('.ts')), outdir: 'out/test/integration', outbase: 'test/integration', external: ['vscode'] }));
  const helperOut = 'out/test/helper-extension';
  rmSync(helperOut, { recursive: true, force: true });
  builds.push(
    esbuild
      .build({ ...common, packages: undefined, external: ['vscode', 'mocha'], entryPoints: { extension: 'test/helper-extension/extension.ts' }, outdir: path.join(helperOut, 'dist') })
      .then(() => cpSync('test/helper-extension/package.json', path.join(helperOut, 'package.json'))),
  );
}
await Promise.all(builds);
