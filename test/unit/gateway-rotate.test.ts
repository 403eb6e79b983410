/**
 * Issue 23, item 11: Rotate Gateway Token rotates both tokens, VS Code's own too (a process that read
 * it kept access, under the most trusted label), and VS Code's client is told to resolve the
 * definition again, so it reconnects with the new token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { EventEmitter, Uri } from './protocol-fake-vscode';
import { GatewayToken } from '../../src/core/gateway/gatewayToken';
import type { SecretStore } from '../../src/core/secretStore';

const commands = new Map<string, (...args: unknown[]) => unknown>();
const warnings: string[] = [];
class McpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: unknown,
    public headers: Record<string, string>,
    readonly version?: string,
  ) {}
}
const fakeVscode = {
  EventEmitter,
  Uri: { ...Uri, parse: (value: string) => Uri.from({ scheme: 'http', path: value }) },
  McpHttpServerDefinition,
  Disposable: { from: (...items: { dispose(): unknown }[]) => ({ dispose: () => items.forEach((i) => i.dispose()) }) },
  commands: {
    registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
      commands.set(id, run);
      return { dispose: () => commands.delete(id) };
    },
  },
  l10n: { t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? '')) },
  window: {
    showWarningMessage: (message: string, _options: unknown, ...items: string[]) => {
      warnings.push(message);
      return Promise.resolve(items[0]);
    },
    showInformationMessage: () => Promise.resolve(undefined),
  },
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? fakeVscode : original.call(this, request, ...rest);
};

function memoryStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: (key: string) => Promise.resolve(values.get(key)),
    store: (key: string, value: string) => {
      values.set(key, value);
      return Promise.resolve();
    },
    delete: (key: string) => {
      values.delete(key);
      return Promise.resolve();
    },
    onDidChange: () => ({ dispose() {} }),
  } as unknown as SecretStore;
}

test('Rotate Gateway Token replaces both tokens, VS Code’s own included', async () => {
  const { registerGatewayCommands } = await import('../../src/vscode/gateway/gatewayCommands');
  const store = memoryStore();
  const token = new GatewayToken(store, 'mcpSampling.gateway.token', () => undefined);
  const vscodeToken = new GatewayToken(store, 'mcpSampling.gateway.vscodeToken', () => undefined);
  const [before, vscodeBefore] = await Promise.all([token.load(), vscodeToken.load()]);
  const logger = { info() {}, warn() {}, error() {}, debug() {} };
  const deps = { gateway: {}, token, vscodeToken, sources: {}, logger, enabled: () => true };
  const registration = registerGatewayCommands(deps as unknown as Parameters<typeof registerGatewayCommands>[0]);
  try {
    await commands.get('mcpSampling.gateway.rotateToken')!();
    assert.equal(warnings.length, 1, 'asked first');
    assert.notEqual(token.current, before, 'the other clients’ token changed');
    assert.notEqual(vscodeToken.current, vscodeBefore, 'VS Code’s own token changed too');
    assert.equal(await store.get('mcpSampling.gateway.vscodeToken'), vscodeToken.current, 'and the stored one');
  } finally {
    registration.dispose();
  }
});

test('after a rotation the definition has a new version and resolves with the new token', async () => {
  const { GatewayDefinitionProvider } = await import('../../src/vscode/gateway/definitionProvider');
  const gateway = { url: 'http://127.0.0.1:4000/mcp', status: () => ({ exposedServers: ['a'] }), toolNames: () => ['a__t'] };
  const vscodeToken = new GatewayToken(memoryStore(), 'mcpSampling.gateway.vscodeToken', () => undefined);
  const provider = new GatewayDefinitionProvider(gateway as never, vscodeToken);
  let fired = 0;
  provider.onDidChangeMcpServerDefinitions(() => fired++);
  const [first] = provider.provideMcpServerDefinitions();
  const oldToken = await vscodeToken.load();
  await vscodeToken.rotate();
  provider.tokenRotated();
  const [second] = provider.provideMcpServerDefinitions();
  assert.equal(fired, 1, 'VS Code is told the definition changed');
  assert.notEqual(second!.version, first!.version, 'with a new version, so its client resolves it again');
  const resolved = await provider.resolveMcpServerDefinition(second!);
  assert.equal(resolved!.headers.Authorization, `Bearer ${vscodeToken.current}`);
  assert.notEqual(resolved!.headers.Authorization, `Bearer ${oldToken}`);
});
