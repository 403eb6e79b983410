// One build script, two targets: the extension host bundle (node, cjs, `vscode` external)
// and the webview bundle (browser). `--production` minifies without source maps; `--watch` rebuilds.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    // The demo MCP server ships in the VSIX and runs as its own Node process.
    entryPoints: { extension: 'src/extension.ts', 'demo/server': 'src/demo/server.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // Prefer ESM builds: jsonc-parser's UMD `main` requires its own files dynamically, which a bundle cannot follow.
    mainFields: ['module', 'main'],
    // Lazy `import()`s of the MCP SDK and openai become separate chunks only in ESM;
    // in cjs they stay in one file but run only when first needed.
  },
  {
    ...common,
    entryPoints: { 'webview/panel': 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
];

rmSync('dist', { recursive: true, force: true });
if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
