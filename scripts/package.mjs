// `npm run package`: a production build, then `vsce package` into <name>-<version>.vsix.
// Dependencies are bundled by esbuild, so vsce does not walk node_modules (--no-dependencies).
// Until package.json names a public repository, relative README images and links cannot be resolved by
// the marketplace, so the packaged README turns them into text (the repository README keeps them).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
run('node', ['scripts/build.mjs', '--production']);

const args = ['--no-install', 'vsce', 'package', '--no-dependencies', '--allow-missing-repository'];
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
let readmePath = 'README.md';
if (!pkg.repository) {
  const readme = readFileSync('README.md', 'utf8')
    .replace(/!\[([^\]]*)\]\((?!https:)([^)]+)\)/g, '*[$1: $2 in the source repository]*')
    .replace(/\[([^\]]*)\]\((?!https?:|#|mailto:)([^)]+)\)/g, '$1 (`$2` in the source repository)');
  mkdirSync('out', { recursive: true });
  writeFileSync('out/README.vsix.md', readme);
  readmePath = 'out/README.vsix.md';
}
args.push('--readme-path', readmePath);
run('npx', [...args, ...process.argv.slice(2)]);
