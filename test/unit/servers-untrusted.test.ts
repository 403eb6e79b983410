/**
 * Red team round 3, item 3: in an untrusted workspace (Restricted Mode) no server, the user's own
 * settings servers included, resolves `${workspaceFolder}` or reads an envFile inside the workspace:
 * a cloned repository's files are neither run nor read. The resolver runs against the `vscode`
 * stand-in, given a workspace folder and a trust state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
