// One build script, two targets: the extension host (node, cjs, `vscode` external) and the webview
// (browser). `--production` minifies without source maps; `--watch` rebuilds.
// The node target has four kinds of files: dist/extension.js (what activation loads), the demo
// server, dist/vendor/*.js (the MCP SDK and the libraries of the provider kinds) and dist/lazy-*.js (our own code that
// activation does not need), which extension.js requires only on first use, so activation
// compiles a small file.
import * as esbuild from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Maps the big libraries to dist/vendor/*.js, required at run time on first use. */
const VENDOR_SHIM = 'vendor-shim';
/** SDK subpaths the extension imports, and their names in scripts/vendor/mcp-sdk.mjs. */
const SDK_SUBPATHS = {
  'types.js': 'types',
  'client/index.js': 'clientIndex',
  'client/stdio.js': 'clientStdio',
  'client/streamableHttp.js': 'clientStreamableHttp',
  'client/sse.js': 'clientSse',
  'experimental/tasks': 'experimentalTasks',
  'server/index.js': 'serverIndex',
  'server/webStandardStreamableHttp.js': 'serverWebStandardStreamableHttp',
  'server/stdio.js': 'serverStdio',
};
/**
 * The libraries the provider kinds load on first use (src/core/providers/kinds.json), each its own
 * dist/vendor/<name>.js built from scripts/vendor/<name>.cjs.
 */
const PROVIDER_VENDORS = [...new Set(Object.values(JSON.parse(readFileSync(new URL('../src/core/providers/kinds.json', import.meta.url), 'utf8'))).flatMap((kind) => kind.vendor ?? []))];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const providerVendorFilter = new RegExp(`^(${PROVIDER_VENDORS.map(escapeRegExp).join('|')})$`);
/**
 * @param {string} vendorDir where dist/vendor is, relative to the output file ('./vendor' for dist/*.js)
 * @returns {esbuild.Plugin}
 */
const vendorPlugin = (vendorDir) => ({
  name: 'vendor-libraries',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/sdk\/(.+)$/ }, (args) => ({ path: `mcp-sdk:${args.path.slice('@modelcontextprotocol/sdk/'.length)}`, namespace: VENDOR_SHIM }));
    if (PROVIDER_VENDORS.length > 0) build.onResolve({ filter: providerVendorFilter }, (args) => ({ path: `provider:${args.path}`, namespace: VENDOR_SHIM }));
    build.onResolve({ filter: /^\.\.?\/vendor\// }, (args) => (args.namespace === VENDOR_SHIM ? { path: args.path, external: true } : undefined));
    build.onLoad({ filter: /.*/, namespace: VENDOR_SHIM }, (args) => {
      if (args.path.startsWith('provider:')) return { contents: `module.exports = require('${vendorDir}/${args.path.slice('provider:'.length)}.js');`, loader: 'js' };
      const subpath = args.path.slice('mcp-sdk:'.length);
      const name = SDK_SUBPATHS[subpath];
      if (!name) return { errors: [{ text: `@modelcontextprotocol/sdk/${subpath} is not in scripts/vendor/mcp-sdk.mjs: add it there and to SDK_SUBPATHS` }] };
      return { contents: `module.exports = require('${vendorDir}/mcp-sdk.js').${name};`, loader: 'js' };
    });
  },
});
const vendorLibraries = vendorPlugin('./vendor');

/**
 * Modules that activation does not need, each its own bundle dist/lazy-<name>.js, required where
 * their importer imports them dynamically: src/extension.ts loads the composition root after
 * activate() yielded, and the composition root loads the sampling pipeline on the first sampling
 * request. So activation compiles a small file. A lazy bundle shares only stateless modules with
 * the bundle that loads it (see bench/notes.md).
 */
/** By importer: the path as it is imported (relative to the importer) → the bundle's name. */
const LAZY_MODULES = {
  'src/extension.ts': { './vscode/composition': 'main' },
  'src/vscode/composition.ts': { './samplingRuntime': 'sampling' },
};
const LAZY_SHIM = 'lazy-shim';
const lazyFor = (importer) => Object.entries(LAZY_MODULES).find(([file]) => importer.replaceAll('\\', '/').endsWith(file))?.[1];
/** @type {esbuild.Plugin} */
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\// }, (args) => {
      const name = args.kind === 'dynamic-import' ? lazyFor(args.importer)?.[args.path] : undefined;
      return name ? { path: name, namespace: LAZY_SHIM } : undefined;
    });
    build.onResolve({ filter: /^\.\/lazy-/ }, (args) => (args.namespace === LAZY_SHIM ? { path: args.path, external: true } : undefined));
    build.onLoad({ filter: /.*/, namespace: LAZY_SHIM }, (args) => ({ contents: `module.exports = require('./lazy-${args.path}.js');`, loader: 'js' }));
  },
};
const lazyEntryPoints = Object.fromEntries(
  Object.entries(LAZY_MODULES).flatMap(([importer, modules]) => Object.entries(modules).map(([file, name]) => [`lazy-${name}`, `${path.posix.join(path.posix.dirname(importer), file)}.ts`])),
);

/** @type {esbuild.BuildOptions} */
const node = {
  ...common,
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // Prefer ESM builds: jsonc-parser's UMD `main` requires its own files dynamically, which a bundle cannot follow.
  mainFields: ['module', 'main'],
};

/** @type {esbuild.BuildOptions[]} */
export const targets = [
  // cli.js is the headless client (conformance runs, scripts); it is not shipped in the VSIX.
  { ...node, entryPoints: { extension: 'src/extension.ts', cli: 'src/cli/main.ts', ...lazyEntryPoints }, plugins: [vendorLibraries, lazyModules] },
  { ...node, entryPoints: { 'vendor/mcp-sdk': 'scripts/vendor/mcp-sdk.mjs', ...Object.fromEntries(PROVIDER_VENDORS.map((name) => [`vendor/${name}`, `scripts/vendor/${name}.cjs`])) } },
  // The demo MCP server ships in the VSIX and runs as its own Node process; it requires the SDK (and
  // its protocol types) from dist/vendor/mcp-sdk.js like the extension does, so the VSIX holds one copy of the SDK.
  { ...node, entryPoints: { 'demo/server': 'src/demo/server.ts' }, plugins: [vendorPlugin('../vendor')] },
  {
    ...common,
    entryPoints: { 'webview/panel': 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
  // The long-text editor (CodeMirror), an ES module the panel imports on first need (src/webview/bigText.ts).
  { ...common, entryPoints: { 'webview/editor': 'src/webview/bigTextEditor.ts' }, outdir: 'dist', platform: 'browser', format: 'esm', target: 'es2022' },
];

// Imported (bench/bundle.ts reads `targets` to analyse the same build), nothing is built.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync('dist', { recursive: true, force: true });
  if (watch) {
    for (const t of targets) await (await esbuild.context(t)).watch();
  } else {
    await Promise.all(targets.map((t) => esbuild.build(t)));
  }
}
