// Wiring only: builds the pieces, connects them, and registers every disposable.
import * as vscode from 'vscode';
import type { McpSamplingApi } from './api';
import { RedactingLogger } from './vscode/redactingLogger';

export function activate(context: vscode.ExtensionContext): McpSamplingApi {
  const channel = vscode.window.createOutputChannel('MCP Sampling', { log: true });
  context.subscriptions.push(channel);
  const logger = new RedactingLogger(channel);

  context.subscriptions.push(
    vscode.commands.registerCommand('mcpSampling.showLog', () => channel.show(true)),
    vscode.commands.registerCommand('mcpSampling.togglePause', async () => {
      const config = vscode.workspace.getConfiguration('mcpSampling');
      const paused = !config.get<boolean>('paused', false);
      await config.update('paused', paused, vscode.ConfigurationTarget.Global);
      vscode.window.setStatusBarMessage(paused ? 'MCP sampling paused' : 'MCP sampling resumed', 3000);
    }),
  );

  logger.info(`MCP Sampling Client ${context.extension.packageJSON.version} activated`);
  return {
    apiVersion: 1,
    listServers: () => [],
    callTool: async () => {
      throw new Error('No MCP server is connected.');
    },
    pendingRequests: () => [],
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
