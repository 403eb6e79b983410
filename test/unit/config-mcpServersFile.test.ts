// The `mcpServers` files other clients keep: a workspace's .mcp.json (Claude Code's portable file) and
// Copilot CLI's mcp-config.json, parsed into our definitions; and where Copilot CLI keeps its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { copilotMcpConfigPath, parseMcpServersFile } from '../../src/core/config/mcpServersFile';
import { mergeServerSources } from '../../src/core/config/mergeSources';

test('.mcp.json: stdio and remote servers under mcpServers, JSONC tolerated', () => {
  const text = `{
    // Claude Code writes this file at the project root
    "mcpServers": {
      "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], "env": { "DEBUG": "1" } },
      "remote": { "type": "http", "url": "https://example.com/mcp", "headers": { "X-Team": "a" } },
      "legacy": { "type": "sse", "url": "http://127.0.0.1:9/sse" },
    },
  }`;
  const r = parseMcpServersFile(text, '/w/.mcp.json');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.definitions.map((d) => [d.name, d.type, d.source]),
    [
      ['files', 'stdio', '/w/.mcp.json'],
      ['remote', 'http', '/w/.mcp.json'],
      ['legacy', 'sse', '/w/.mcp.json'],
    ],
  );
});

test('Copilot CLI mcp-config.json: "local" is stdio, its "tools" list is accepted', () => {
  const text = JSON.stringify({
    mcpServers: {
      playwright: { type: 'local', command: 'npx', args: ['@playwright/mcp@latest'], tools: ['*'] },
      remote: { type: 'http', url: 'https://api.example.com/mcp', tools: ['search'] },
    },
  });
  const r = parseMcpServersFile(text, '/home/u/.copilot/mcp-config.json');
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.definitions.map((d) => [d.name, d.type]), [['playwright', 'stdio'], ['remote', 'http']]);
});

test('an empty file is no servers; bad entries are reported next to good ones; "servers" in the wrong file says so', () => {
  assert.deepEqual(parseMcpServersFile('', 'f'), { definitions: [], errors: [] });
  assert.deepEqual(parseMcpServersFile('{}', 'f'), { definitions: [], errors: [] });
  const mixed = parseMcpServersFile('{"mcpServers": {"ok": {"command": "x"}, "bad": {"type": "ftp", "url": "ftp://x"}}}', 'f');
  assert.deepEqual(mixed.definitions.map((d) => d.name), ['ok']);
  assert.equal(mixed.errors[0]!.serverName, 'bad');
  assert.match(parseMcpServersFile('[]', 'f').errors[0]!.message, /must hold a JSON object with "mcpServers"/);
  assert.match(parseMcpServersFile('{"mcpServers": []}', 'f').errors[0]!.message, /must be an object keyed by server name/);
  const wrongKey = parseMcpServersFile('{"servers": {"a": {"command": "x"}}}', '/w/.mcp.json');
  assert.deepEqual(wrongKey.definitions, []);
  assert.match(wrongKey.errors[0]!.message, /\/w\/\.mcp\.json lists its servers under "servers".*this file lists them under "mcpServers"/);
});

test('Copilot CLI config path: $COPILOT_HOME, else ~/.copilot', () => {
  assert.equal(copilotMcpConfigPath('/home/u', { COPILOT_HOME: '/opt/copilot' }), path.join('/opt/copilot', 'mcp-config.json'));
  assert.equal(copilotMcpConfigPath('/home/u', {}), path.join('/home/u', '.copilot', 'mcp-config.json'));
  assert.equal(copilotMcpConfigPath('/home/u', { COPILOT_HOME: '  ' }), path.join('/home/u', '.copilot', 'mcp-config.json'));
});

test('naming: a .mcp.json server cannot take the name of a Copilot CLI server (the user\'s own), as with the profile', () => {
  const copilot = parseMcpServersFile('{"mcpServers": {"db": {"command": "mine"}}}', '/home/u/.copilot/mcp-config.json');
  const workspace = parseMcpServersFile('{"mcpServers": {"db": {"command": "theirs"}}}', '/w/.mcp.json');
  const merged = mergeServerSources([
    { source: '/home/u/.copilot/mcp-config.json', workspace: false, definitions: copilot.definitions },
    { source: '/w/.mcp.json', workspace: true, definitions: workspace.definitions },
  ]);
  assert.deepEqual(merged.definitions.map((d) => [d.name, d.source]), [['db', '/home/u/.copilot/mcp-config.json'], ['db (workspace)', '/w/.mcp.json']]);
  assert.match(merged.errors[0]!.message, /a workspace cannot take its name/);
});
