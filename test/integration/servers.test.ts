import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseMcpServersFile } from '../../src/core/config/mcpServersFile';
import { consentToWorkspaceServers, extensionApi, fixture, resultText, serverEverythingEntry, setSetting, waitFor, waitForServer } from './support';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const stdioFixture = (name: string) => ({ type: 'stdio', command: process.execPath, args: [fixture('samplingServer.js'), '--name', name] });

describe('MCP servers in the real extension host', function () {
  this.timeout(90_000);
  let httpEverything: ChildProcess | undefined;

  after(async () => {
    await setSetting('servers', undefined);
    httpEverything?.kill();
  });

  it('connects a stdio fixture from mcpSampling.servers and calls a tool through the command', async () => {
    await setSetting('servers', { fixture: stdioFixture('fixture') });
    const server = await waitForServer('fixture');
    assert.equal(server.source, 'settings');
    const result = await vscode.commands.executeCommand('mcpSampling.callTool', 'fixture', 'echo', { text: 'hello from the test' });
    assert.equal(resultText(result), 'hello from the test');
  });

  it('connects a server defined in the workspace .vscode/mcp.json', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
    const jsonc = `// servers for this workspace\n{\n  "servers": {\n    "from-mcp-json": ${JSON.stringify(stdioFixture('from-mcp-json'))}, // trailing comma next\n  },\n}\n`;
    // A workspace server starts only with the user's consent: given here as "Allow and Start" would.
    await consentToWorkspaceServers(file, jsonc);
    await vscode.workspace.fs.writeFile(file, Buffer.from(jsonc));
    try {
      const server = await waitForServer('from-mcp-json');
      assert.match(server.source, /mcp\.json$/);
      const result = await (await extensionApi()).callTool('from-mcp-json', 'echo', { text: 'via mcp.json' });
      assert.equal(resultText(result), 'via mcp.json');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor('the removed mcp.json server to go away', 20_000, async () =>
      (await extensionApi()).listServers().some((s) => s.name === 'from-mcp-json') ? undefined : true,
    );
  });

  it('connects a server of the workspace .mcp.json (mcpServers), with workspace consent, shown with that source', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.mcp.json');
    const json = JSON.stringify({ mcpServers: { 'from-dot-mcp-json': stdioFixture('from-dot-mcp-json') } });
    // A workspace server starts only with the user's consent, as in .vscode/mcp.json: given here as "Allow and Start" would.
    await consentToWorkspaceServers(file, json, parseMcpServersFile);
    await vscode.workspace.fs.writeFile(file, Buffer.from(json));
    try {
      const server = await waitForServer('from-dot-mcp-json');
      assert.equal(server.source, file.fsPath);
      const result = await (await extensionApi()).callTool('from-dot-mcp-json', 'echo', { text: 'via .mcp.json' });
      assert.equal(resultText(result), 'via .mcp.json');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor('the removed .mcp.json server to go away', 20_000, async () =>
      (await extensionApi()).listServers().some((s) => s.name === 'from-dot-mcp-json') ? undefined : true,
    );
  });

  it("connects a server of Copilot CLI's $COPILOT_HOME/mcp-config.json without workspace consent, shown with that source", async () => {
    const previous = process.env.COPILOT_HOME;
    const copilotHome = mkdtempSync(path.join(os.tmpdir(), 'copilot-home-'));
    // The extension host is one process: the extension reads this at its next reload.
    process.env.COPILOT_HOME = copilotHome;
    const file = path.join(copilotHome, 'mcp-config.json');
    writeFileSync(file, JSON.stringify({ mcpServers: { 'from-copilot': { ...stdioFixture('from-copilot'), type: 'local', tools: ['*'] } } }));
    try {
      await vscode.commands.executeCommand('mcpSampling.refreshServers');
      const server = await waitForServer('from-copilot');
      assert.equal(server.source, file);
      const result = await (await extensionApi()).callTool('from-copilot', 'echo', { text: 'via Copilot CLI config' });
      assert.equal(resultText(result), 'via Copilot CLI config');
    } finally {
      if (previous === undefined) delete process.env.COPILOT_HOME;
      else process.env.COPILOT_HOME = previous;
      rmSync(copilotHome, { recursive: true, force: true });
      await vscode.commands.executeCommand('mcpSampling.refreshServers');
    }
    await waitFor('the Copilot CLI server to go away', 20_000, async () => ((await extensionApi()).listServers().some((s) => s.name === 'from-copilot') ? undefined : true));
  });

  it('editing one definition reconnects only that server', async () => {
    await setSetting('servers', { a: stdioFixture('a'), b: stdioFixture('b') });
    await waitForServer('a');
    await waitForServer('b');
    const pidOf = async (name: string) => JSON.parse(resultText(await vscode.commands.executeCommand('mcpSampling.callTool', name, 'pids', {}))).pid as number;
    const [aBefore, bBefore] = [await pidOf('a'), await pidOf('b')];
    await setSetting('servers', { a: stdioFixture('a'), b: { ...stdioFixture('b'), env: { FIXTURE_ECHO_ENV: 'changed' } } });
    const bAfter = await waitFor('b to restart with a new process', 30_000, async () => {
      try {
        const pid = await pidOf('b');
        return pid !== bBefore ? pid : undefined;
      } catch {
        return undefined;
      }
    });
    assert.notEqual(bAfter, bBefore);
    assert.equal(await pidOf('a'), aBefore, 'server a kept its process');
  });

  it('reconnects after the server process dies', async () => {
    await setSetting('servers', { crashy: stdioFixture('crashy') });
    await waitForServer('crashy');
    const pidOf = async () => JSON.parse(resultText(await vscode.commands.executeCommand('mcpSampling.callTool', 'crashy', 'pids', {}))).pid as number;
    const before = await pidOf();
    process.kill(before, 'SIGKILL');
    const after = await waitFor('a new crashy process', 45_000, async () => {
      try {
        const pid = await pidOf();
        return pid !== before ? pid : undefined;
      } catch {
        return undefined;
      }
    });
    assert.notEqual(after, before);
  });

  it('connects @modelcontextprotocol/server-everything over stdio and over Streamable HTTP', async () => {
    const port = await freePort();
    httpEverything = spawn(process.execPath, [serverEverythingEntry, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    await waitFor('server-everything to listen on HTTP', 30_000, async () => {
      try {
        await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'GET' });
        return true;
      } catch {
        return undefined;
      }
    });
    await setSetting('servers', {
      'everything-stdio': { type: 'stdio', command: process.execPath, args: [serverEverythingEntry, 'stdio'] },
      'everything-http': { type: 'http', url: `http://127.0.0.1:${port}/mcp` },
    });
    await waitForServer('everything-stdio');
    await waitForServer('everything-http', 'connected', 45_000);
    for (const name of ['everything-stdio', 'everything-http']) {
      const result = await vscode.commands.executeCommand('mcpSampling.callTool', name, 'echo', { message: `hi ${name}` });
      assert.match(resultText(result), new RegExp(`hi ${name}`));
    }
  });
});
