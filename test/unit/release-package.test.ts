// The release package as the marketplaces receive it: `npm run package` (vsce, after the
// `vscode:prepublish` production build) warns about nothing, the VSIX stays small, its README keeps
// its pictures as absolute URLs at the version's tag, and Open VSX's own CLI (`ovsx publish
// --packagePath`, the release workflow's command) accepts it, against a local stand-in registry so
// nothing leaves the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string; repository: { url: string } };
const MAX_VSIX_BYTES = 600 * 1024;

// ovsx's own VSIX reader and license check (the checks it makes before contacting a registry).
const { readZip } = require('ovsx/lib/zip') as { readZip(file: string, filter: (name: string) => boolean): Promise<Map<string, Buffer>> };
const { isLicenseOk } = require('ovsx') as { isLicenseOk(packagePath: string): Promise<boolean> };

const outDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-sampling-release-'));
const vsix = path.join(outDir, `${pkg.name}-${pkg.version}.vsix`);
let packaging: SpawnSyncReturns<string>;
test.before(() => {
  packaging = spawnSync('node', ['scripts/package.mjs', '--out', vsix], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
});
test.after(() => rmSync(outDir, { recursive: true, force: true }));

test('npm run package builds the VSIX without a single warning', () => {
  const output = `${packaging.stdout}\n${packaging.stderr}`;
  assert.equal(packaging.status, 0, output);
  assert.match(output, /Executing prepublish script/, 'vsce ran vscode:prepublish (the production build)');
  assert.doesNotMatch(output, /warn/i, output);
  const size = statSync(vsix).size;
  assert.ok(size < MAX_VSIX_BYTES, `the VSIX is ${size} bytes, over ${MAX_VSIX_BYTES}`);
});

test('the packaged README shows its pictures from the repository at the version tag', async () => {
  const entries = await readZip(vsix, (name) => name === 'extension/readme.md');
  const readme = entries.get('extension/readme.md')?.toString('utf8') ?? '';
  assert.doesNotMatch(readme, /in the source repository/);
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length >= 2, `images in the packaged README: ${images.join(', ')}`);
  const repo = /github\.com\/([^/]+\/[^/.]+)/.exec(pkg.repository.url)![1];
  const base = `https://raw.githubusercontent.com/${repo}/v${pkg.version}/`;
  for (const image of images) {
    assert.ok(image.startsWith(base), `${image} is not under ${base}`);
    // The picture the URL names is in the repository, so the tag will carry it.
    statSync(path.join(repoRoot, image.slice(base.length)));
  }
  // Relative links (docs/security.md…) point into the repository too, not at nothing.
  assert.doesNotMatch(readme, /\]\((?!https:|#|mailto:)[^)]+\)/);
});

test('ovsx accepts the package: license check, then publish --packagePath to a stand-in registry', async () => {
  assert.equal(await isLicenseOk(repoRoot), true);
  const uploads: Buffer[] = [];
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const registry = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://registry');
    const json = (status: number, value: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET' && url.pathname === '/api/version') return json(200, { version: '1.3.0', maxExtensionSize: 512 * 1024 * 1024 });
    if (req.method === 'GET' && url.pathname === '/api/-/size-limit') return json(200, { maxSize: 512 * 1024 * 1024 });
    if (req.method === 'POST' && url.pathname === '/api/-/publish') {
      if (req.headers.authorization !== 'Bearer test-token') return json(403, { error: 'bad token' });
      void body(req).then((bytes) => {
        uploads.push(bytes);
        json(201, { namespace: pkg.publisher, name: pkg.name, version: pkg.version, targetPlatform: 'universal', files: {} });
      });
      return undefined;
    }
    return json(404, { error: `no route ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  try {
    const registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}`;
    const result = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn('npx', ['--no-install', 'ovsx', 'publish', '--packagePath', vsix, '-p', 'test-token', '--registryUrl', registryUrl], { cwd: repoRoot, env: { ...process.env, FORCE_COLOR: '0' } });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (status) => resolve({ status, output }));
    });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`Published ${pkg.publisher}\\.${pkg.name} v${pkg.version.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(result.output, /warn|!!/i, result.output);
    assert.equal(uploads.length, 1);
    assert.ok(uploads[0]!.equals(readFileSync(vsix)), 'the registry received the packaged VSIX byte for byte');
  } finally {
    registry.close();
  }
});
