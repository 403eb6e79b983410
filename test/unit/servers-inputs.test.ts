// Stored ${input:} values: which ids a definition uses, and forgetting them so a value typed wrong can
// be entered again (the resolver against a recording stand-in for `vscode` and an in-memory secret store).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerDefinition } from '../../src/core/config/serverDefinition';
import { inputIds, inputStorageKey } from '../../src/core/config/variables';
import { installFakeVscode } from './protocol-fake-vscode';

installFakeVscode();
const { VsCodeVariableResolver } = require('../../src/vscode/servers/variableResolver') as typeof import('../../src/vscode/servers/variableResolver');

const parsed = parseServerDefinition('api', { command: 'node', args: ['s.js', '--token=${input:token}'], env: { KEY: '${input:key}', AGAIN: '${input:token}' } }, '/w/.vscode/mcp.json');
assert.ok(parsed.ok);
const definition = parsed.definition;

test('inputIds lists each ${input:} id a definition uses once, in order', () => {
  assert.deepEqual(inputIds(definition), ['token', 'key']);
  const plain = parseServerDefinition('p', { command: 'node', args: ['${workspaceFolder}/x'] }, 'settings');
  assert.ok(plain.ok);
  assert.deepEqual(inputIds(plain.definition), []);
});

test('forgetInputs deletes the stored values of that definition only, and names them', async () => {
  const stored = new Map<string, string>([
    [inputStorageKey(definition.source, 'api', 'token'), 'typed-wrong'],
    [inputStorageKey('settings', 'api', 'token'), 'another definition'],
    [inputStorageKey(definition.source, 'other', 'key'), 'another server'],
  ]);
  const secrets = {
    get: async (key: string) => stored.get(key),
    delete: async (key: string) => void stored.delete(key),
    store: async (key: string, value: string) => void stored.set(key, value),
  };
  const resolver = new VsCodeVariableResolver(secrets as never, { inputDefinition: () => undefined, isWorkspaceDefinition: () => false }, () => {}, {
    store: { load: async () => ({}), save: async () => {} },
  });
  assert.deepEqual(await resolver.forgetInputs(definition), ['token'], 'key was never stored');
  assert.deepEqual([...stored.values()].sort(), ['another definition', 'another server']);
  assert.deepEqual(await resolver.forgetInputs(definition), [], 'nothing left to forget');
});
