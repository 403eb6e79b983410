import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionKey, parseServerDefinition, parseServersObject, toSettingsEntry } from '../../src/core/config/serverDefinition';

test('stdio definition: type inferred from command, fields kept, source recorded', () => {
  const r = parseServerDefinition('files', { command: 'npx', args: ['-y', 'pkg'], env: { A: '1', B: null }, cwd: '/tmp', envFile: '.env' }, 'settings');
  assert.ok(r.ok);
  assert.deepEqual(r.definition, {
    name: 'files',
    source: 'settings',
    disabled: false,
    type: 'stdio',
    command: 'npx',
    args: ['-y', 'pkg'],
    env: { A: '1', B: null },
    envFile: '.env',
    cwd: '/tmp',
  });
});

test('http definition: type inferred from url; sse kept; disabled read', () => {
  const http = parseServerDefinition('remote', { url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer x' } }, '/w/.vscode/mcp.json');
  assert.ok(http.ok);
  assert.equal(http.definition.type, 'http');
  assert.equal(http.definition.source, '/w/.vscode/mcp.json');
  const sse = parseServerDefinition('old', { type: 'sse', url: 'https://example.test/sse', disabled: true }, 'settings');
  assert.ok(sse.ok);
  assert.equal(sse.definition.type, 'sse');
  assert.equal(sse.definition.disabled, true);
});

test('a url holding a variable is accepted before substitution', () => {
  const r = parseServerDefinition('v', { type: 'http', url: 'http://localhost:${env:PORT}/mcp' }, 'settings');
  assert.ok(r.ok);
});

const bad: [string, unknown, RegExp][] = [
  ['missing command', { type: 'stdio' }, /Server "s": a stdio server needs a non-empty "command"/],
  ['empty command', { command: '  ' }, /non-empty "command"/],
  ['neither command nor url', { args: [] }, /needs a "command" \(stdio\) or a "url"/],
  ['malformed url', { url: 'not a url' }, /Server "s": "url" "not a url" is not a valid URL/],
  ['non-http url', { type: 'http', url: 'file:///etc/passwd' }, /must use http or https, not file/],
  ['http without url', { type: 'http' }, /an http server needs a "url"/],
  ['unknown type', { type: 'websocket', url: 'ws://x' }, /unknown "type" "websocket"/],
  ['type not a string', { type: 3, command: 'x' }, /"type" must be a string, not a number/],
  ['command not a string', { command: ['npx'] }, /"command" must be a string, not an array/],
  ['args not an array', { command: 'x', args: '-y' }, /"args" must be an array of strings, not a string/],
  ['args item not a string', { command: 'x', args: ['a', 2] }, /"args\[1\]" must be a string, not a number/],
  ['env not an object', { command: 'x', env: ['A=1'] }, /"env" must be an object, not an array/],
  ['env value number', { command: 'x', env: { A: 1 } }, /"env.A" must be a string or null, not a number/],
  ['header null', { url: 'http://h/', headers: { X: null } }, /"headers.X" must be a string, not null/],
  ['disabled not boolean', { command: 'x', disabled: 'yes' }, /"disabled" must be true or false, not a string/],
  ['cwd not a string', { command: 'x', cwd: 1 }, /"cwd" must be a string/],
  ['definition not an object', 'npx server', /the definition must be an object, not a string/],
  ['definition null', null, /the definition must be an object, not null/],
];
for (const [label, raw, expected] of bad) {
  test(`rejects ${label}, naming server and field`, () => {
    const r = parseServerDefinition('s', raw, 'settings');
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, expected);
  });
}

test('parseServersObject keeps good entries and reports each bad one', () => {
  const r = parseServersObject({ good: { command: 'node' }, bad1: { type: 'nope' }, also: { url: 'http://127.0.0.1:1/mcp' }, bad2: 5 }, 'settings');
  assert.deepEqual(r.definitions.map((d) => d.name), ['good', 'also']);
  assert.deepEqual(r.errors.map((e) => e.serverName), ['bad1', 'bad2']);
  assert.ok(r.errors.every((e) => e.source === 'settings'));
});

test('parseServersObject: not an object is one error; undefined is empty', () => {
  assert.equal(parseServersObject([1], 'settings').errors.length, 1);
  assert.deepEqual(parseServersObject(undefined, 'settings'), { definitions: [], errors: [] });
});

test('definitionKey ignores key order and source but sees every connection field', () => {
  const a = parseServerDefinition('x', { command: 'n', env: { A: '1', B: '2' } }, 'settings');
  const b = parseServerDefinition('x', { env: { B: '2', A: '1' }, command: 'n' }, 'mcp.json');
  const c = parseServerDefinition('x', { command: 'n', env: { A: '1', B: '3' } }, 'settings');
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(definitionKey(a.definition), definitionKey(b.definition));
  assert.notEqual(definitionKey(a.definition), definitionKey(c.definition));
});

test('toSettingsEntry round-trips through the parser', () => {
  const r = parseServerDefinition('x', { command: 'n', args: ['a'], env: { A: null }, disabled: true }, 'claude-desktop');
  assert.ok(r.ok);
  const again = parseServerDefinition('x', toSettingsEntry(r.definition), 'claude-desktop');
  assert.ok(again.ok);
  assert.deepEqual(again.definition, r.definition);
});

test('"protocol" pins a revision: kept, part of the key, written back; auto is the default; anything else is an error', () => {
  const pinned = parseServerDefinition('m', { command: 'node', protocol: '2026-07-28' }, 'settings');
  assert.ok(pinned.ok);
  assert.equal(pinned.definition.protocol, '2026-07-28');
  assert.equal(toSettingsEntry(pinned.definition).protocol, '2026-07-28');
  const auto = parseServerDefinition('m', { command: 'node', protocol: 'auto' }, 'settings');
  assert.ok(auto.ok);
  assert.equal(auto.definition.protocol, undefined);
  assert.notEqual(definitionKey(pinned.definition), definitionKey(auto.definition), 'a changed pin reconnects');
  const bad = parseServerDefinition('m', { url: 'http://x', protocol: '2024-01-01' }, 'settings');
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.error, /"protocol" must be one of "auto", "2026-07-28", "2025-11-25"/);
});
