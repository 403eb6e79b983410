/**
 * Run in a fresh process: times `require()` of an extension bundle in plain Node, with `vscode`
 * answered by an inert stub (only the bundle's top-level code runs; activate() is not called).
 * Prints the milliseconds. This is the code-loading share of activation without VS Code around it.
 *   node out/bench/requireTime.js /path/to/extension.js
 */
import Module from 'node:module';

const file = process.argv[2];
if (!file) throw new Error('usage: requireTime.js <bundle>');
// esbuild's __toESM copies own properties onto an object whose prototype is the module's, so
// lookups of anything else (vscode.ThemeColor…) reach this prototype.
const anything: object = new Proxy({}, { get: (_target, key) => (typeof key === 'symbol' ? undefined : inert) });
const inert: unknown = new Proxy(function inert() {}, {
  get: (_target, key) => (typeof key === 'symbol' ? undefined : inert),
  getPrototypeOf: () => anything,
  apply: () => inert,
  construct: () => inert as object,
});
const moduleWithResolver = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = moduleWithResolver._load;
moduleWithResolver._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? inert : load.call(this, request, ...rest);
};
const start = performance.now();
require(file);
process.stdout.write(`${performance.now() - start}\n`);
