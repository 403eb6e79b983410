/** Offers the workspace folders to servers as roots, and tells them when the folders change. */
import * as vscode from 'vscode';
import type { Root } from '@modelcontextprotocol/sdk/types.js';
import type { RootsSource } from '../../core/mcp/types';

export const workspaceRootsSource: RootsSource = {
  listRoots(): Root[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ uri: f.uri.toString(), name: f.name }));
  },
};

/** Sends `notifications/roots/list_changed` to every server when workspace folders change. */
export function watchWorkspaceRoots(notify: () => Promise<void>): vscode.Disposable {
  return vscode.workspace.onDidChangeWorkspaceFolders(() => void notify());
}
