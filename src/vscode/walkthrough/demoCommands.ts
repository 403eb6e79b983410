/**
 * Commands behind the Getting Started walkthrough:
 *   mcpSampling.addDemoServer  adds the bundled demo server to the user settings and shows the Servers view
 *   mcpSampling.runDemo        calls the demo's `summarize` tool, so a sampling request opens in the panel;
 *                              resolves with the CallToolResult once the request was answered or refused
 *   mcpSampling.openWalkthrough opens the walkthrough
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { setUserServerDefinitions, userServerDefinitions } from '../config';
import type { ServerSnapshot } from '../../api';

export const DEMO_SERVER_NAME = 'demo';
export const WALKTHROUGH_ID = 'mcp-sampling.mcp-sampling-client#mcpSampling.gettingStarted';
const CONNECT_TIMEOUT_MS = 30_000;

export interface WalkthroughDeps {
  readonly logger: Logger;
  /** The servers known now (the extension API's `listServers`). */
  readonly listServers: () => readonly ServerSnapshot[];
}

/** The demo server as a `mcpSampling.servers` entry: run the bundled script with the editor's own runtime. */
export function demoServerDefinition(extensionPath: string, execPath = process.execPath): Record<string, unknown> {
  return {
    type: 'stdio',
    command: execPath,
    args: [vscode.Uri.joinPath(vscode.Uri.file(extensionPath), 'dist', 'demo', 'server.js').fsPath],
    // On desktop the runtime is Electron: this makes it behave as plain Node. Harmless under Node.
    env: { ELECTRON_RUN_AS_NODE: '1' },
  };
}

export async function addDemoServer(context: vscode.ExtensionContext, logger: Logger): Promise<void> {
  // Only the user-level value is rewritten, so workspace or default entries are not copied into it.
  await setUserServerDefinitions({ ...userServerDefinitions(), [DEMO_SERVER_NAME]: demoServerDefinition(context.extensionPath) });
  logger.info(`Added the demo MCP server "${DEMO_SERVER_NAME}" to the user settings`);
}

async function waitForDemo(deps: WalkthroughDeps): Promise<ServerSnapshot | undefined> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  let askedToConnect = false;
  for (;;) {
    const demo = deps.listServers().find((s) => s.name === DEMO_SERVER_NAME);
    if (demo?.status === 'connected' || demo?.status === 'error') return demo;
    if (demo?.status === 'disconnected' && !askedToConnect) {
      askedToConnect = true;
      void vscode.commands.executeCommand('mcpSampling.connectServer', DEMO_SERVER_NAME);
    }
    if (Date.now() > deadline) return demo;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function resultText(result: unknown): string {
  const content = (result as { content?: { type?: string; text?: string }[] } | undefined)?.content ?? [];
  return content.map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type ?? 'content'}]`)).join('\n');
}

async function runDemo(context: vscode.ExtensionContext, deps: WalkthroughDeps): Promise<unknown> {
  if (!deps.listServers().some((s) => s.name === DEMO_SERVER_NAME)) await addDemoServer(context, deps.logger);
  const demo = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Starting the demo MCP server…') }, () => waitForDemo(deps));
  if (demo?.status !== 'connected') {
    const detail = demo?.error ?? demo?.status ?? vscode.l10n.t('not configured');
    void vscode.window.showErrorMessage(vscode.l10n.t('The demo MCP server is not connected ({0}).', detail), vscode.l10n.t('Show Server Log')).then((choice) => {
      if (choice) void vscode.commands.executeCommand('mcpSampling.showServerLog', DEMO_SERVER_NAME);
    });
    return undefined;
  }
  await vscode.commands.executeCommand('mcpSampling.openPanel');
  const text = vscode.l10n.t(
    'The Model Context Protocol lets AI applications connect to tools and data through small servers. Sampling turns the usual direction around: a server asks its client for a language-model completion, and the client decides which model answers and whether the request may go out at all. This extension is such a client inside VS Code: every request appears in an approval panel where you can read it, edit it, approve or reject it, and review the answer before the server receives it.',
  );
  const result = await vscode.commands.executeCommand<unknown>('mcpSampling.callTool', DEMO_SERVER_NAME, 'summarize', { text });
  const answer = resultText(result).slice(0, 500);
  const isError = (result as { isError?: boolean } | undefined)?.isError === true;
  deps.logger.info(`Demo summarize ${isError ? 'returned an error' : 'finished'}`);
  const show = isError ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(isError ? vscode.l10n.t('The demo tool got no summary: {0}', answer) : answer, vscode.l10n.t('Open History')).then((choice) => {
    if (choice) void vscode.commands.executeCommand('mcpSampling.history.focus');
  });
  return result;
}

export function registerWalkthrough(context: vscode.ExtensionContext, deps: WalkthroughDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mcpSampling.addDemoServer', async () => {
      await addDemoServer(context, deps.logger);
      await vscode.commands.executeCommand('mcpSampling.servers.focus');
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Demo MCP server added'), 3000);
    }),
    vscode.commands.registerCommand('mcpSampling.runDemo', () => runDemo(context, deps)),
    vscode.commands.registerCommand('mcpSampling.openWalkthrough', () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false)),
  );
}
