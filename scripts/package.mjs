// `npm run package`: `vsce package` into <name>-<version>.vsix (vsce runs `vscode:prepublish`, the
// production build, first). Dependencies are bundled by esbuild, so vsce does not walk node_modules
// (--no-dependencies). The packaged README's relative images and links become absolute URLs into the
// repository at this version's tag (v<version>), so the marketplace pages, and the editor's own
// extension page, show the pictures of the release they describe. Extra arguments go to vsce.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** `https://github.com/<owner>/<repo>` from package.json's `repository` (a string or `{ url }`). */
export function githubRepository(repository) {
  const url = typeof repository === 'string' ? repository : repository?.url;
  const match = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url ?? '');
  if (!match) throw new Error(`package.json "repository" must name a GitHub repository (got ${JSON.stringify(repository)})`);
  return { owner: match[1], repo: match[2] };
}

/** The vsce arguments that make the README's relative images and links absolute at the version's tag. */
export function baseUrlArgs(pkg) {
  const { owner, repo } = githubRepository(pkg.repository);
  const tag = `v${pkg.version}`;
  return [
    '--baseImagesUrl', `https://raw.githubusercontent.com/${owner}/${repo}/${tag}/`,
    '--baseContentUrl', `https://github.com/${owner}/${repo}/blob/${tag}/`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const args = ['--no-install', 'vsce', 'package', '--no-dependencies', ...baseUrlArgs(pkg), ...process.argv.slice(2)];
  execFileSync('npx', args, { stdio: 'inherit' });
}
