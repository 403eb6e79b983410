/** A status bar item counting the sampling requests that wait for the user; hidden when none do. */
import * as vscode from 'vscode';
import { pendingStatusText } from './panel/statusText';

export interface PendingCountSource {
  readonly pendingCount: number;
  readonly onDidChangePendingCount: vscode.Event<number>;
}

export function createPendingStatusBarItem(source: PendingCountSource): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mcpSampling.pending', vscode.StatusBarAlignment.Right, 100);
  item.name = 'MCP Sampling Requests';
  item.command = 'mcpSampling.openPanel';
  const update = (count: number): void => {
    if (count <= 0) {
      item.hide();
      return;
    }
    const { text, tooltip } = pendingStatusText(count);
    item.text = text;
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: tooltip, role: 'button' };
    item.show();
  };
  update(source.pendingCount);
  const subscription = source.onDidChangePendingCount(update);
  return vscode.Disposable.from(subscription, item);
}
