/** The gateway's line at the top of the Servers view: its address, callers and calls in flight. */
import * as vscode from 'vscode';
import type { GatewayStatus } from '../../core/gateway/gatewayServer';

export type GatewayViewStatus = GatewayStatus & { readonly enabled: boolean; readonly error?: string };

export function gatewayTreeItem(status: GatewayViewStatus): vscode.TreeItem {
  const item = new vscode.TreeItem('Gateway', vscode.TreeItemCollapsibleState.None);
  item.id = 'gateway';
  const callers = status.callers.length;
  if (!status.enabled) {
    item.description = 'off';
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    item.contextValue = 'mcpGateway.off';
  } else if (status.error || status.port === undefined) {
    item.description = status.error ? 'not running' : 'starting…';
    item.iconPath = new vscode.ThemeIcon(status.error ? 'error' : 'loading~spin', status.error ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    item.contextValue = 'mcpGateway.error';
  } else {
    const parts = [`127.0.0.1:${status.port}`, `${callers} caller${callers === 1 ? '' : 's'}`];
    if (status.inFlight > 0) parts.push(`${status.inFlight} call${status.inFlight === 1 ? '' : 's'} in flight`);
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon('broadcast', status.inFlight > 0 ? new vscode.ThemeColor('testing.iconQueued') : undefined);
    item.contextValue = 'mcpGateway.running';
  }
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**MCP Sampling gateway** — ');
  if (!status.enabled) md.appendText('turned off (mcpSampling.gateway.enabled)');
  else if (status.error) md.appendText(status.error);
  else if (status.url) md.appendText(status.url);
  md.appendMarkdown('\n\n');
  md.appendText(`Offers: ${status.exposedServers.length ? status.exposedServers.join(', ') : 'no server yet'}`).appendMarkdown('\n\n');
  for (const caller of status.callers) {
    md.appendText(`• ${caller.name}: ${caller.inFlight} in flight${caller.queued ? `, ${caller.queued} waiting` : ''}`).appendMarkdown('\n\n');
  }
  item.tooltip = md;
  item.command = { command: 'mcpSampling.gateway.connectClient', title: 'Connect Another Client…' };
  return item;
}
