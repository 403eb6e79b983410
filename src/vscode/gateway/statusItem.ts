/** The gateway's line at the top of the Servers view: its address, callers and calls in flight. */
import * as vscode from 'vscode';
import type { GatewayStatus } from '../../core/gateway/gatewayServer';

export type GatewayViewStatus = GatewayStatus & { readonly enabled: boolean; readonly error?: string };

export function gatewayTreeItem(status: GatewayViewStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Gateway'), vscode.TreeItemCollapsibleState.None);
  item.id = 'gateway';
  const callers = status.callers.length;
  if (!status.enabled) {
    item.description = vscode.l10n.t('off');
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    item.contextValue = 'mcpGateway.off';
  } else if (status.error || status.port === undefined) {
    item.description = status.error ? vscode.l10n.t('not running') : vscode.l10n.t('starting…');
    item.iconPath = new vscode.ThemeIcon(status.error ? 'error' : 'loading~spin', status.error ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    item.contextValue = 'mcpGateway.error';
  } else {
    const parts = [`127.0.0.1:${status.port}`, callers === 1 ? vscode.l10n.t('1 caller') : vscode.l10n.t('{0} callers', callers)];
    if (status.inFlight > 0) parts.push(status.inFlight === 1 ? vscode.l10n.t('1 call in flight') : vscode.l10n.t('{0} calls in flight', status.inFlight));
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon('broadcast', status.inFlight > 0 ? new vscode.ThemeColor('testing.iconQueued') : undefined);
    item.contextValue = 'mcpGateway.running';
  }
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${vscode.l10n.t('MCP Sampling gateway')}** — `);
  if (!status.enabled) md.appendText(vscode.l10n.t('turned off ({0})', 'mcpSampling.gateway.enabled'));
  else if (status.error) md.appendText(status.error);
  else if (status.url) md.appendText(status.url);
  md.appendMarkdown('\n\n');
  md.appendText(status.exposedServers.length ? vscode.l10n.t('Offers: {0}', status.exposedServers.join(', ')) : vscode.l10n.t('Offers no server yet')).appendMarkdown('\n\n');
  for (const caller of status.callers) {
    const calls = caller.queued ? vscode.l10n.t('{0} in flight, {1} waiting', caller.inFlight, caller.queued) : vscode.l10n.t('{0} in flight', caller.inFlight);
    md.appendText(`• ${caller.name}: ${calls}`).appendMarkdown('\n\n');
  }
  item.tooltip = md;
  item.command = { command: 'mcpSampling.gateway.connectClient', title: vscode.l10n.t('Connect Another Client…') };
  return item;
}
