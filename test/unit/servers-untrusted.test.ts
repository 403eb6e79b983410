/**
 * Red team round 3, item 3: in an untrusted workspace (Restricted Mode) no server, the user's own
 * settings servers included, resolves `${workspaceFolder}` or reads an envFile inside the workspace:
 * a cloned repository's files are neither run nor read. Item 4: a workspace server's envFile is read
 * before its consent, and what was allowed is what the server gets. The resolver runs against the
 * `vscode` stand-in, given a workspace folder and a trust state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConsentPrompt } from '../../src/core/config/workspaceConsent';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { fakeVscode, installFakeVscode } from './protocol-fake-vscode';

installFakeVscode();
// The stand-in's Uri has no fsPath; a file URI's is its path here.
const folder = { name: 'repo', uri: Object.assign(fakeVscode.Uri.file('/src/repo'), { fsPath: '/src/repo' }) };
const workspace = Object.assign(fakeVscode.workspace, { isTrusted: false, workspaceFolders: [folder], getWorkspaceFolder: () => folder });
Object.assign(fakeVscode, { l10n: { t: (message: string, ...args: string[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? '') } });
const { VsCodeVariableResolver } = require('../../src/vscode/servers/variableResolver') as typeof import('../../src/vscode/servers/variableResolver');

const resolver = new VsCodeVariableResolver({ get: async () => undefined } as never, { inputDefinition: () => undefined, isWorkspaceDefinition: () => false }, () => {}, {
  store: { load: async () => ({}), save: async () => {} },
});

function settingsServer(raw: Record<string, unknown>): ServerDefinition {
  const parsed = parseServerDefinition('mine', { command: 'node', ...raw }, 'settings');
  assert.ok(parsed.ok);
  return parsed.definition;
}

const resolve = (definition: ServerDefinition) => resolver.resolveDefinition(definition, new AbortController().signal);

test('untrusted: a settings server using ${workspaceFolder} (args, cwd or envFile) is refused with a clear message', async () => {
  workspace.isTrusted = false;
  for (const raw of [{ args: ['${workspaceFolder}/tools/run.js'] }, { cwd: '${workspaceFolder}' }, { envFile: '${workspaceFolder}/.env' }, { args: ['${workspaceFolderBasename}'] }]) {
    const result = await resolve(settingsServer(raw));
    assert.equal(result.ok, false, JSON.stringify(raw));
    assert.match(result.ok ? '' : result.error, /Server "mine": \$\{workspaceFolder\} is refused while this workspace is untrusted \(Restricted Mode\).*It starts when you trust the workspace/);
  }
});

test('untrusted: an envFile inside the workspace is refused, written as a plain path too; one outside it is not', async () => {
  workspace.isTrusted = false;
  for (const envFile of ['/src/repo/.env', '/src/repo/sub/../.env']) {
    const result = await resolve(settingsServer({ envFile }));
    assert.equal(result.ok, false, envFile);
    assert.match(result.ok ? '' : result.error, /envFile .* is inside this workspace, which is untrusted/);
  }
  for (const envFile of ['/home/me/.env', '/src/repo-other/.env']) assert.equal((await resolve(settingsServer({ envFile }))).ok, true, envFile);
});

test('trusted: ${workspaceFolder} and an envFile inside the workspace resolve as before', async () => {
  workspace.isTrusted = true;
  const result = await resolve(settingsServer({ args: ['${workspaceFolder}/tools/run.js'], envFile: '/src/repo/.env' }));
  assert.ok(result.ok && result.definition.type === 'stdio');
  assert.deepEqual(result.definition.args, ['/src/repo/tools/run.js']);
});

test('item 4: a workspace server\'s envFile is read once, before the consent; the server gets exactly the values allowed', async () => {
  workspace.isTrusted = true;
  const dir = mkdtempSync(path.join(tmpdir(), 'envfile-consent-'));
  try {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'API_URL=https://docs.example\n');
    const prompts: ConsentPrompt[] = [];
    const source = path.join(dir, '.vscode', 'mcp.json');
    const workspaceResolver = new VsCodeVariableResolver({ get: async () => undefined } as never, { inputDefinition: () => undefined, isWorkspaceDefinition: (d) => d.source === source }, () => {}, {
      store: { load: async () => ({}), save: async () => {} },
      prompter: { confirm: async (p) => (prompts.push(p), true) },
    });
    const parsed = parseServerDefinition('docs', { command: 'node', args: ['docs.js'], envFile: file, env: { LOG_LEVEL: 'debug' } }, source);
    assert.ok(parsed.ok);
    const first = await workspaceResolver.resolveDefinition(parsed.definition, new AbortController().signal);
    assert.match(prompts[0]?.detail ?? '', /Variables the environment file sets: API_URL/);
    assert.ok(first.ok && first.definition.type === 'stdio');
    assert.deepEqual(first.definition.env, { API_URL: 'https://docs.example', LOG_LEVEL: 'debug' }, 'the allowed values, with the definition\'s env over them');
    assert.equal(first.definition.envFile, undefined, 'nothing reads the file again after the user allowed what it held');
    writeFileSync(file, 'API_URL=https://docs.example\nNODE_OPTIONS=--require ./x.js\n');
    await workspaceResolver.resolveDefinition(parsed.definition, new AbortController().signal);
    assert.equal(prompts.length, 2, 'an edited envFile asks again');
    assert.match(prompts[1]?.detail ?? '', /sets: API_URL, NODE_OPTIONS/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
