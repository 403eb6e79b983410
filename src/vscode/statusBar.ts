/** Status bar items: the sampling requests that wait for the user (hidden when none do), and a pause that is on. */
import * as vscode from 'vscode';
import { pausedStatusText, pendingStatusText } from './panel/statusText';

export interface PendingCountSource {
  readonly pendingCount: number;
  readonly onDidChangePendingCount: vscode.Event<number>;
}

export function createPendingStatusBarItem(source: PendingCountSource): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mcpSampling.pending', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('MCP Sampling Requests');
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

/** Shown while sampling is paused, which lasts across restarts: a refused request is otherwise easy to miss. */
export function createPausedStatusBarItem(paused: () => boolean, onDidChange: (listener: () => void) => vscode.Disposable): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('mcpSampling.paused', vscode.StatusBarAlignment.Right, 101);
  item.name = vscode.l10n.t('MCP Sampling Paused');
  item.command = 'mcpSampling.togglePause';
  const { text, tooltip } = pausedStatusText();
  item.text = text;
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: tooltip, role: 'button' };
  const update = (): void => (paused() ? item.show() : item.hide());
  update();
  return vscode.Disposable.from(onDidChange(update), item);
}
