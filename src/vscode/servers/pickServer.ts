/** Resolves which server a command is about: a tree node, a name, or a quick pick. */
import * as vscode from 'vscode';
import type { ConnectionManager, ServerStatus } from '../../core/mcp/connectionManager';
import { statusLabel } from './serversView';

export function serverNameFromArgument(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  if (typeof argument === 'object' && argument !== null) {
    const node = argument as { kind?: unknown; name?: unknown; server?: unknown };
    if (node.kind === 'server' && typeof node.name === 'string') return node.name;
    if (typeof node.server === 'string') return node.server;
  }
  return undefined;
}

export async function pickServer(manager: ConnectionManager, title: string, filter: (s: ServerStatus) => boolean = () => true): Promise<string | undefined> {
  const servers = manager.list().filter(filter);
  if (servers.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No matching MCP server. Add servers to the mcpSampling.servers setting or a .vscode/mcp.json file.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    servers.map((s) => ({ label: s.name, description: statusLabel(s), detail: s.definition.source })),
    { title, placeHolder: vscode.l10n.t('Choose a server') },
  );
  return picked?.label;
}
