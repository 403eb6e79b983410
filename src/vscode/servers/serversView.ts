/**
 * The Servers view: each server with its status, and under a connected one its tools, prompts and
 * resources. Definition errors are shown as items too, so a typo in mcp.json is visible.
 */
import * as vscode from 'vscode';
import type { DefinitionError, ServerDefinition } from '../../core/config/serverDefinition';
import type { ConnectionManager, ServerStatus } from '../../core/mcp/connectionManager';
import type { ServerSources } from './serverSources';
import { gatewayTreeItem, type GatewayViewStatus } from '../gateway/statusItem';
import { withAccessibleLabel } from '../treeItemAccessibility';
import { DisposableStore } from '../../core/lifetime';

export type ServersNode =
  | { readonly kind: 'gateway' }
  | { readonly kind: 'server'; readonly name: string }
  | { readonly kind: 'group'; readonly server: string; readonly group: 'tools' | 'prompts' | 'resources' }
  | { readonly kind: 'tool'; readonly server: string; readonly name: string }
  | { readonly kind: 'prompt'; readonly server: string; readonly name: string }
  | { readonly kind: 'resource'; readonly server: string; readonly uri: string; readonly name: string }
  | { readonly kind: 'configError'; readonly error: DefinitionError };

const STATUS_ICONS: Record<string, vscode.ThemeIcon> = {
  connected: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  connecting: new vscode.ThemeIcon('loading~spin'),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  disconnected: new vscode.ThemeIcon('debug-disconnect'),
  idle: new vscode.ThemeIcon('circle-large-outline'),
  disabled: new vscode.ThemeIcon('circle-slash'),
};

/** The word shown for a status; `idle` of a disabled definition reads as "disabled". */
export function statusLabel(status: ServerStatus): string {
  switch (status.status) {
    case 'idle':
      return status.definition.disabled ? vscode.l10n.t('disabled') : vscode.l10n.t('not connected');
    case 'connecting':
      return status.message ?? vscode.l10n.t('connecting');
    case 'connected':
      return vscode.l10n.t('connected');
    case 'disconnected':
      return vscode.l10n.t('disconnected');
    case 'error':
      return status.reconnect ? vscode.l10n.t('error, retrying ({0}/{1})', status.reconnect.attempt, status.reconnect.maxAttempts) : vscode.l10n.t('error');
    default:
      return String(status.status);
  }
}

function describeDefinition(definition: ServerDefinition): string {
  return definition.type === 'stdio' ? [definition.command, ...definition.args].join(' ') : `${definition.type} ${definition.url}`;
}

/** A fence that the content's own backticks cannot close. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}text\n${text}\n${marks}`;
}

/** e.g. "MCP 2025-11-25 (pinned) over streamable HTTP". */
function protocolLine(status: ServerStatus): string {
  const version = status.definition.protocol ? vscode.l10n.t('MCP {0} (pinned)', status.protocolVersion ?? '') : vscode.l10n.t('MCP {0}', status.protocolVersion ?? '');
  return status.transport ? vscode.l10n.t('{0} over {1}', version, status.transport) : version;
}

const GROUP_LABELS = {
  tools: (count: number) => vscode.l10n.t('Tools ({0})', count),
  prompts: (count: number) => vscode.l10n.t('Prompts ({0})', count),
  resources: (count: number) => vscode.l10n.t('Resources ({0})', count),
} as const;

function serverTooltip(status: ServerStatus, usage: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**`).appendText(status.name).appendMarkdown(`** — `).appendText(statusLabel(status)).appendMarkdown('\n\n');
  md.appendText(vscode.l10n.t('Source: {0}', status.definition.source)).appendMarkdown('\n\n');
  md.appendMarkdown(fenced(describeDefinition(status.definition).slice(0, 500))).appendMarkdown('\n\n');
  if (status.serverInfo) md.appendText(vscode.l10n.t('Server: {0} {1}', status.serverInfo.name, status.serverInfo.version)).appendMarkdown('\n\n');
  if (status.protocolVersion) md.appendText(protocolLine(status)).appendMarkdown('\n\n');
  if (usage) md.appendMarkdown(`**${vscode.l10n.t('Sampling usage:')}** `).appendText(usage).appendMarkdown('\n\n');
  if (status.error) md.appendMarkdown(`**${vscode.l10n.t('Error:')}** `).appendText(status.error).appendMarkdown('\n\n');
  if (status.stderrTail.length) md.appendText(vscode.l10n.t('Recent stderr:')).appendMarkdown('\n\n').appendMarkdown(fenced(status.stderrTail.slice(-10).join('\n')));
  return md;
}

/** What the Servers view shows besides the servers, and when it changes. */
export interface ServersViewExtras {
  /** Token usage per server from the history, for the tooltip. */
  readonly usageSummary?: (serverName: string) => string | undefined;
  readonly onDidChangeUsage?: vscode.Event<void>;
  /** The gateway's status, shown first (undefined: no line). */
  readonly gatewayStatus?: () => GatewayViewStatus | undefined;
  readonly onDidChangeGateway?: vscode.Event<void>;
}

export class ServersTreeProvider implements vscode.TreeDataProvider<ServersNode>, vscode.Disposable {
  private readonly owned = new DisposableStore();
  private readonly changeEmitter = this.owned.add(new vscode.EventEmitter<ServersNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(
    private readonly manager: ConnectionManager,
    private readonly sources: ServerSources,
    private readonly extras: ServersViewExtras = {},
  ) {
    const refresh = () => this.changeEmitter.fire(undefined);
    for (const event of [manager.onDidChangeStatus, manager.onDidChangeServers, manager.onDidChangeLists, sources.onDidChange, extras.onDidChangeUsage, extras.onDidChangeGateway]) {
      if (event) this.owned.add(event(refresh));
    }
  }

  refresh(): void {
    this.changeEmitter.fire(undefined);
  }

  getChildren(node?: ServersNode): ServersNode[] {
    if (!node) {
      const servers: ServersNode[] = this.manager.list().map((s) => ({ kind: 'server', name: s.name }));
      const errors: ServersNode[] = this.sources.current.errors.map((error) => ({ kind: 'configError', error }));
      const gateway: ServersNode[] = this.extras.gatewayStatus?.() && servers.length > 0 ? [{ kind: 'gateway' }] : [];
      return [...gateway, ...servers, ...errors];
    }
    if (node.kind === 'server') {
      if (this.manager.status(node.name)?.status !== 'connected') return [];
      const groups: ServersNode[] = [];
      if (this.manager.listTools(node.name).length) groups.push({ kind: 'group', server: node.name, group: 'tools' });
      if (this.manager.listPrompts(node.name).length) groups.push({ kind: 'group', server: node.name, group: 'prompts' });
      if (this.manager.listResources(node.name).length) groups.push({ kind: 'group', server: node.name, group: 'resources' });
      return groups;
    }
    if (node.kind === 'group') {
      if (node.group === 'tools') return this.manager.listTools(node.server).map((t) => ({ kind: 'tool', server: node.server, name: t.name }));
      if (node.group === 'prompts') return this.manager.listPrompts(node.server).map((p) => ({ kind: 'prompt', server: node.server, name: p.name }));
      return this.manager.listResources(node.server).map((r) => ({ kind: 'resource', server: node.server, uri: r.uri, name: r.name }));
    }
    return [];
  }

  getTreeItem(node: ServersNode): vscode.TreeItem {
    return withAccessibleLabel(this.treeItem(node));
  }

  private treeItem(node: ServersNode): vscode.TreeItem {
    switch (node.kind) {
      case 'gateway': {
        const status = this.extras.gatewayStatus?.();
        return status ? gatewayTreeItem(status) : new vscode.TreeItem(vscode.l10n.t('Gateway'));
      }
      case 'server': {
        const status = this.manager.status(node.name);
        const item = new vscode.TreeItem(node.name, status?.status === 'connected' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `server:${node.name}`;
        if (!status) return item;
        const iconKey = status.status === 'idle' && status.definition.disabled ? 'disabled' : status.status;
        item.iconPath = STATUS_ICONS[iconKey] ?? STATUS_ICONS['idle'];
        item.description = `${statusLabel(status)}${status.status === 'connected' && status.protocolVersion ? ` · MCP ${status.protocolVersion}` : ''} · ${shortSource(status.definition.source)}`;
        item.tooltip = serverTooltip(status, this.extras.usageSummary?.(status.name));
        // e.g. `mcpServer.connected`: menus use /^mcpServer\.(connected|connecting)/ to pick inline actions.
        item.contextValue = `mcpServer.${status.status}`;
        return item;
      }
      case 'group': {
        const count =
          node.group === 'tools' ? this.manager.listTools(node.server).length : node.group === 'prompts' ? this.manager.listPrompts(node.server).length : this.manager.listResources(node.server).length;
        const item = new vscode.TreeItem(GROUP_LABELS[node.group](count), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `group:${node.server}:${node.group}`;
        item.iconPath = new vscode.ThemeIcon(node.group === 'tools' ? 'tools' : node.group === 'prompts' ? 'comment-discussion' : 'file');
        item.contextValue = `mcpGroup.${node.group}`;
        return item;
      }
      case 'tool': {
        const tool = this.manager.listTools(node.server).find((t) => t.name === node.name);
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `tool:${node.server}:${node.name}`;
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        item.description = tool?.title ?? tool?.annotations?.title ?? '';
        item.tooltip = tool?.description ? new vscode.MarkdownString().appendText(tool.description.slice(0, 2000)) : undefined;
        item.contextValue = 'mcpTool';
        item.command = { command: 'mcpSampling.callTool', title: vscode.l10n.t('Call Tool…'), arguments: [node] };
        return item;
      }
      case 'prompt': {
        const prompt = this.manager.listPrompts(node.server).find((p) => p.name === node.name);
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `prompt:${node.server}:${node.name}`;
        item.iconPath = new vscode.ThemeIcon('comment');
        item.tooltip = prompt?.description?.slice(0, 2000);
        item.contextValue = 'mcpPrompt';
        return item;
      }
      case 'resource': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `resource:${node.server}:${node.uri}`;
        item.iconPath = new vscode.ThemeIcon('file');
        item.description = node.uri;
        item.contextValue = 'mcpResource';
        return item;
      }
      case 'configError': {
        const item = new vscode.TreeItem(node.error.serverName ? vscode.l10n.t('{0}: invalid definition', node.error.serverName) : vscode.l10n.t('Invalid server configuration'), vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.description = shortSource(node.error.source);
        item.tooltip = new vscode.MarkdownString().appendText(node.error.message);
        item.contextValue = 'mcpConfigError';
        item.command =
          node.error.source === 'settings'
            ? { command: 'workbench.action.openSettings', title: vscode.l10n.t('Open Settings'), arguments: ['mcpSampling.servers'] }
            : { command: 'vscode.open', title: vscode.l10n.t('Open File'), arguments: [vscode.Uri.file(node.error.source)] };
        return item;
      }
    }
  }

  dispose(): void {
    this.owned.dispose();
  }
}

function shortSource(source: string): string {
  if (source === 'settings') return vscode.l10n.t('settings');
  if (!source.includes('/') && !source.includes('\\')) return source;
  const parts = source.split(/[\\/]/);
  return parts.slice(-3).join('/');
}
