import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseMcpJson } from '../../src/core/config/mcpJson';
import { claudeDesktopConfigPath, parseClaudeDesktopConfig } from '../../src/core/config/claudeDesktop';
import { parseEnvFile, readEnvFile } from '../../src/core/config/envFile';

test('mcp.json: JSONC with comments and trailing commas; servers and inputs read', () => {
  const text = `{
    // my servers
    "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
    "servers": {
      "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"], },
      "remote": { "type": "http", "url": "http://127.0.0.1:3001/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
    },
  }`;
  const r = parseMcpJson(text, '/w/.vscode/mcp.json');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.definitions.map((d) => [d.name, d.type, d.source]), [
    ['everything', 'stdio', '/w/.vscode/mcp.json'],
    ['remote', 'http', '/w/.vscode/mcp.json'],
  ]);
  assert.deepEqual(r.inputs, [{ id: 'token', type: 'promptString', description: 'API token', password: true }]);
});

test('mcp.json: a syntax error is reported with line and column', () => {
  const text = '{\n  "servers": {\n    "a": { "command": "x" }\n    "b": { "command": "y" }\n  }\n}';
  const r = parseMcpJson(text, 'mcp.json');
  assert.ok(r.errors.length >= 1);
  assert.match(r.errors[0]!.message, /^mcp\.json:4:5: CommaExpected$/);
});

test('mcp.json: not an object, and bad servers next to good ones', () => {
  assert.match(parseMcpJson('[1,2]', 'f.json').errors[0]!.message, /must hold a JSON object/);
  const r = parseMcpJson('{"servers": {"ok": {"command": "x"}, "bad": {"url": "::"}}}', 'f.json');
  assert.deepEqual(r.definitions.map((d) => d.name), ['ok']);
  assert.equal(r.errors[0]!.serverName, 'bad');
  assert.deepEqual(parseMcpJson('', 'f.json'), { definitions: [], errors: [], inputs: [] });
});

test('mcp.json written with Claude Desktop\'s "mcpServers" key says so instead of loading nothing silently', () => {
  const result = parseMcpJson('{ "mcpServers": { "a": { "command": "x" } } }', '/w/.vscode/mcp.json');
  assert.deepEqual(result.definitions, []);
  assert.equal(result.errors.length, 1);
  assert.match(result.errors[0]!.message, /under "mcpServers"; mcp\.json lists them under "servers"\. Rename the key, or move the file to the workspace folder's root as \.mcp\.json/);
  assert.deepEqual(parseMcpJson('{ "servers": {}, "mcpServers": {} }', 'f').errors, [], 'with "servers" present the other key is left alone');
});

test('Claude Desktop config: mcpServers converted, type aliases mapped, bad entries reported', () => {
  const text = JSON.stringify({
    globalShortcut: 'x',
    mcpServers: {
      fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' } },
      remote: { type: 'streamable-http', url: 'http://127.0.0.1:9/mcp' },
      off: { command: 'x', enabled: false },
      broken: { args: ['no command'] },
    },
  });
  const r = parseClaudeDesktopConfig(text);
  assert.deepEqual(
    r.definitions.map((d) => [d.name, d.type, d.disabled, d.source]),
    [
      ['fs', 'stdio', false, 'claude-desktop'],
      ['remote', 'http', false, 'claude-desktop'],
      ['off', 'stdio', true, 'claude-desktop'],
    ],
  );
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0]!.serverName, 'broken');
});

test('Claude Desktop config path per platform', () => {
  assert.equal(claudeDesktopConfigPath('darwin', '/Users/u', {}), '/Users/u/Library/Application Support/Claude/claude_desktop_config.json');
  assert.equal(claudeDesktopConfigPath('win32', 'C:\\Users\\u', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }), 'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
  assert.equal(claudeDesktopConfigPath('linux', '/home/u', {}), '/home/u/.config/Claude/claude_desktop_config.json');
});

test('envFile (dotenv\'s parser): comments, export, quotes, escapes, inline comments, multi-line; bad lines skipped', () => {
  const values = parseEnvFile(
    [
      '\uFEFF# comment',
      'A=1',
      'export B = two words ',
      "C='single # not a comment'",
      'D="line\\nbreak"',
      'E=value # trailing comment',
      'F="multi',
      'line"',
      'not a pair',
      'EMPTY=',
      'constructor=own',
    ].join('\n'),
  );
  assert.deepEqual({ ...values }, { A: '1', B: 'two words', C: 'single # not a comment', D: 'line\nbreak', E: 'value', F: 'multi\nline', EMPTY: '', constructor: 'own' });
  assert.equal(Object.getPrototypeOf(values), null, 'a variable named like an Object property is just a variable');
});

test('readEnvFile reads a file and names a missing one', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'envfile-'));
  try {
    const file = path.join(dir, '.env');
    writeFileSync(file, 'X=1\r\nY="2"\r\n');
    assert.deepEqual({ ...(await readEnvFile(file)) }, { X: '1', Y: '2' });
    await assert.rejects(readEnvFile(path.join(dir, 'missing.env')), /envFile ".*missing\.env" does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
