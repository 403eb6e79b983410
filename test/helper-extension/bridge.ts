import * as http from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

/**
 * A loopback-only HTTP bridge for end-to-end tests: POST /command {"command", "args"} runs
 * vscode.commands.executeCommand in this extension host and answers {"result"} or {"error"}.
 * Its port is written to <testDir>/bridge.json. Test-only; never shipped.
 */
export async function startBridge(testDir: string): Promise<vscode.Disposable> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/command') {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void (async () => {
      let reply: unknown;
      try {
        const { command, args } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { command: string; args?: unknown[] };
        reply = { result: await vscode.commands.executeCommand(command, ...(args ?? [])) };
      } catch (err) {
        reply = { error: err instanceof Error ? err.message : String(err) };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply ?? null));
    })());
  });
  const commands = registerTestCommands();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  writeFileSync(path.join(testDir, 'bridge.json'), JSON.stringify({ port }));
  return { dispose: () => (server.close(), commands.dispose()) };
}

interface ApiLike {
  listServers(): unknown;
  pendingRequests(): unknown;
}

/** Commands the end-to-end tests call through the bridge to read the extension's public API. */
function registerTestCommands(): vscode.Disposable {
  const api = async () => {
    const ext = vscode.extensions.getExtension<ApiLike>('mcp-sampling.mcp-sampling-client');
    if (!ext) throw new Error('mcp-sampling.mcp-sampling-client is not installed');
    return ext.activate();
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mcpSamplingTest.listServers', async () => (await api()).listServers()),
    vscode.commands.registerCommand('mcpSamplingTest.pendingRequests', async () => (await api()).pendingRequests()),
    vscode.commands.registerCommand('mcpSamplingTest.updateSetting', async (section: string, value: unknown) => {
      // JSON carries `undefined` as null: null removes the user's value, as undefined does.
      await vscode.workspace.getConfiguration().update(section, value === null ? undefined : value, vscode.ConfigurationTarget.Global);
    }),
    // VS Code's own MCP client, as an agent uses it: start the servers extensions provide, list the
    // language-model tools, invoke one.
    // `'*'` (all) since VS Code 1.107 or so; 1.106 takes only one definition id (`<extension id>/<label>`).
    vscode.commands.registerCommand('mcpSamplingTest.startMcpServers', async (timeoutMs = 60_000, definitionId = '*') => {
      await Promise.race([vscode.commands.executeCommand('workbench.mcp.startServer', definitionId, { waitForLiveTools: true }), new Promise((r) => setTimeout(r, timeoutMs))]);
      return vscode.lm.tools.map((t) => t.name);
    }),
    // Read-only documents the extension opened (e.g. "Open the full request"): their URI, length and end.
    vscode.commands.registerCommand('mcpSamplingTest.virtualDocuments', () =>
      vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'mcp-sampling-diff').map((d) => ({ uri: d.uri.toString(), length: d.getText().length, text: d.getText().slice(0, 200_000) })),
    ),
    vscode.commands.registerCommand('mcpSamplingTest.lmTools', () =>
      vscode.lm.tools.map((t) => ({ name: t.name, description: t.description, tags: [...t.tags], inputSchema: t.inputSchema })),
    ),
    vscode.commands.registerCommand('mcpSamplingTest.readClipboard', () => vscode.env.clipboard.readText()),
    vscode.commands.registerCommand('mcpSamplingTest.vscodeVersion', () => vscode.version),
    vscode.commands.registerCommand('mcpSamplingTest.invokeTool', async (name: string, input: object) => {
      const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
      return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? { text: part.value } : { kind: part?.constructor?.name ?? typeof part }));
    }),
  );
}
