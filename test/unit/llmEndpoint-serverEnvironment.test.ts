/**
 * Servers that call an LLM directly: `"llmEndpoint": true` is parsed (stdio only), changes the
 * workspace-consent fingerprint and is named in the consent text, and a resolved definition gets
 * OPENAI_BASE_URL and its own OPENAI_API_KEY (added to its secrets) when the endpoint runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseServerDefinition, type StdioServerDefinition } from '../../src/core/config/serverDefinition';
import { describeLaunch, launchFingerprint } from '../../src/core/config/workspaceConsent';
import { withLlmEndpointEnvironment } from '../../src/core/gateway/openai/serverEnvironment';
import type { Logger } from '../../src/core/logger';
import { silentLogger } from '../../src/core/logger';

function parse(raw: object, name = 'weather') {
  const result = parseServerDefinition(name, raw, '/work/.vscode/mcp.json');
  if (!result.ok) throw new Error(result.error);
  return result.definition as StdioServerDefinition;
}

test('"llmEndpoint" is a stdio server’s boolean, part of what the workspace consent covers', () => {
  const plain = parse({ command: 'node', args: ['server.js'] });
  const withEndpoint = parse({ command: 'node', args: ['server.js'], llmEndpoint: true });
  assert.equal(withEndpoint.llmEndpoint, true);
  assert.equal(plain.llmEndpoint, undefined);
  assert.notEqual(launchFingerprint(plain), launchFingerprint(withEndpoint), 'turning it on asks for consent again');
  assert.match(describeLaunch(withEndpoint).detail, /"llmEndpoint": true: it gets OPENAI_BASE_URL and an OPENAI_API_KEY .* "weather"/);
  for (const bad of [{ command: 'node', llmEndpoint: 'yes' }, { url: 'http://localhost:3000/mcp', llmEndpoint: true }]) {
    const result = parseServerDefinition('x', bad, 'settings');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /"llmEndpoint"/);
  }
});

test('a resolved definition gets the endpoint’s variables and its key as a secret; without the endpoint it starts without them and says why', async () => {
  const definition = parse({ command: 'node', env: { A: '1' }, llmEndpoint: true });
  const env = { OPENAI_BASE_URL: 'http://127.0.0.1:4000/v1', OPENAI_API_KEY: 'k'.repeat(43) };
  const asked: string[] = [];
  const result = await withLlmEndpointEnvironment({ ok: true, definition, secrets: new Set(['s']) }, async (name) => (asked.push(name), env), silentLogger);
  assert.ok(result.ok && result.definition.type === 'stdio');
  assert.deepEqual(result.definition.env, { A: '1', ...env });
  assert.deepEqual([...result.secrets].sort(), ['k'.repeat(43), 's']);
  assert.deepEqual(asked, ['weather']);

  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (m: string) => void warnings.push(m) };
  const without = await withLlmEndpointEnvironment({ ok: true, definition, secrets: new Set() }, async () => undefined, logger);
  assert.ok(without.ok);
  assert.deepEqual(without.ok && without.definition.type === 'stdio' && without.definition.env, { A: '1' });
  assert.match(warnings[0] ?? '', /not running/);

  const other = parse({ command: 'node' }, 'plain');
  const untouched = await withLlmEndpointEnvironment({ ok: true, definition: other, secrets: new Set() }, async () => env, silentLogger);
  assert.ok(untouched.ok && untouched.definition === other, 'a server without "llmEndpoint" gets nothing');
});
