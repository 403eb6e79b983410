// `npm run package`: a production build, then `vsce package` into <name>-<version>.vsix.
// Dependencies are bundled by esbuild, so vsce does not walk node_modules (--no-dependencies).
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
run('node', ['scripts/build.mjs', '--production']);
run('npx', ['--no-install', 'vsce', 'package', '--no-dependencies', ...process.argv.slice(2)]);
