/**
 * Run in a fresh process: times `require()` of an extension bundle in plain Node, with `vscode`
 * answered by an inert stub (only the bundle's top-level code runs; activate() is not called).
 * Prints the wall and CPU milliseconds (CPU moves less with the machine's load). This is the
 * code-loading share of activation without VS Code around it. The Node built-ins that an extension
 * host has loaded before any extension (http, crypto, child_process…) are loaded first, so their
 * cost is not counted as ours.
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
for (const builtin of ['node:crypto', 'node:http', 'node:https', 'node:child_process', 'node:fs/promises', 'node:os', 'node:events', 'node:net', 'node:stream']) require(builtin);
const cpu = process.cpuUsage();
const start = performance.now();
require(file);
const used = process.cpuUsage(cpu);
process.stdout.write(`${performance.now() - start} ${(used.user + used.system) / 1000}\n`);
