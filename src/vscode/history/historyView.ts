/**
 * The Sampling History view: per-server usage on top, then every past request, newest first, with
 * server, model, tokens, latency and decision. Selecting a request opens it as a Markdown document.
 */
import * as vscode from 'vscode';
import type { HistoryRecord } from '../../core/history/history';
import { recordTokens, usageByServer, type ServerUsage } from '../../core/history/usage';
import { decisionLabel, formatLatency, outcomeLabel } from './recordMarkdown';
import type { HistoryStore } from './historyStore';
import { withAccessibleLabel } from '../treeItemAccessibility';

export const HISTORY_VIEW_ID = 'mcpSampling.history';
export const OPEN_HISTORY_ENTRY_COMMAND = 'mcpSampling.openHistoryEntry';

export type HistoryNode = { readonly kind: 'usage'; readonly servers: readonly ServerUsage[] } | { readonly kind: 'server'; readonly usage: ServerUsage } | { readonly kind: 'record'; readonly record: HistoryRecord };

const OUTCOME_ICONS: Record<HistoryRecord['outcome'], vscode.ThemeIcon> = {
  answered: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  rejected: new vscode.ThemeIcon('circle-slash'),
  cancelled: new vscode.ThemeIcon('debug-stop'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
};

// Made on first use: the first Intl formatter of a session loads locale data (~15 ms), which activation must not pay.
let formatter: Intl.NumberFormat | undefined;
const numberFormat = { format: (value: number): string => (formatter ??= new Intl.NumberFormat()).format(value) };

export function tokensLabel(tokens: number | undefined): string {
  return tokens === undefined ? vscode.l10n.t('tokens n/a') : vscode.l10n.t('{0} tokens', numberFormat.format(tokens));
}

/** One line for a server's usage, also used by the Servers view tooltip. */
export function usageSummary(usage: ServerUsage): string {
  const requests = usage.requests === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', usage.requests);
  if (usage.withUsage === 0) return vscode.l10n.t('{0} · no token figures', requests);
  return vscode.l10n.t(
    '{0} · {1} tokens ({2} in, {3} out)',
    requests,
    numberFormat.format(usage.totalTokens),
    numberFormat.format(usage.inputTokens),
    numberFormat.format(usage.outputTokens),
  );
}

/** The first text the user sent, for a recognizable tooltip. */
function promptSnippet(record: HistoryRecord): string | undefined {
  for (const message of record.request?.messages ?? []) {
    const blocks = Array.isArray(message.content) ? message.content : [message.content];
    for (const block of blocks) {
      if (block && typeof block === 'object' && block.type === 'text' && typeof block.text === 'string') return block.text.slice(0, 300);
    }
  }
  return undefined;
}

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: HistoryStore) {
    this.subscription = store.onDidChange(() => this.changeEmitter.fire(undefined));
  }

  /** Reloads the history file and redraws the view. */
  refresh(): void {
    this.store.refresh();
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node?.kind === 'usage') return node.servers.map((usage) => ({ kind: 'server', usage }));
    if (node) return [];
    const records = await this.store.records();
    // No records: return nothing so the view shows its welcome content.
    if (records.length === 0) return [];
    return [{ kind: 'usage', servers: usageByServer(records) }, ...[...records].reverse().map((record): HistoryNode => ({ kind: 'record', record }))];
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    return withAccessibleLabel(this.treeItem(node));
  }

  private treeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'usage': {
        const item = new vscode.TreeItem(vscode.l10n.t('Usage by server'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'usage';
        item.iconPath = new vscode.ThemeIcon('graph');
        const reported = node.servers.some((u) => u.withUsage > 0);
        item.description = reported ? tokensLabel(node.servers.reduce((sum, u) => sum + u.totalTokens, 0)) : vscode.l10n.t('no token figures');
        item.contextValue = 'mcpHistoryUsage';
        return item;
      }
      case 'server': {
        const { usage } = node;
        const item = new vscode.TreeItem(usage.serverName, vscode.TreeItemCollapsibleState.None);
        item.id = `usage:${usage.serverName}`;
        item.iconPath = new vscode.ThemeIcon('server');
        item.description = usageSummary(usage);
        const tooltip = new vscode.MarkdownString();
        tooltip.appendText(`${usage.serverName}\n\n${usageSummary(usage)}`);
        if (usage.withoutUsage > 0) {
          const missing = usage.withoutUsage === 1 ? vscode.l10n.t('1 answer had no token figures from its provider.') : vscode.l10n.t('{0} answers had no token figures from their provider.', usage.withoutUsage);
          tooltip.appendText(`\n\n${missing}`);
        }
        item.tooltip = tooltip;
        item.contextValue = 'mcpHistoryServerUsage';
        return item;
      }
      case 'record': {
        const { record } = node;
        // A tool the request provably belongs to, or only the one that was running when it arrived.
        const label = record.toolCall
          ? `${record.serverName} › ${record.toolCall.name}`
          : record.runningToolCall
            ? vscode.l10n.t('{0} (while {1} was running)', record.serverName, record.runningToolCall.name)
            : record.serverName;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.id = `record:${record.id}:${record.receivedAt}`;
        item.iconPath = OUTCOME_ICONS[record.outcome] ?? new vscode.ThemeIcon('circle-outline');
        const model = record.model ?? record.choice?.model ?? '—';
        item.description = [decisionLabel(record.decision), model, tokensLabel(recordTokens(record)), formatLatency(record.latencyMs)].join(' · ');
        const tooltip = new vscode.MarkdownString();
        tooltip.appendText(`${new Date(record.receivedAt).toLocaleString()} — ${record.serverName}\n\n`);
        tooltip.appendText(`${vscode.l10n.t('Decision: {0}; outcome: {1}', decisionLabel(record.decision), outcomeLabel(record.outcome))}\n\n`);
        const snippet = promptSnippet(record);
        if (snippet) tooltip.appendText(snippet);
        item.tooltip = tooltip;
        item.contextValue = `mcpHistoryRecord.${record.outcome}`;
        // The icon shows the outcome: say it too.
        item.accessibilityInformation = { label: `${label}, ${item.description}, ${outcomeLabel(record.outcome)}` };
        item.command = { command: OPEN_HISTORY_ENTRY_COMMAND, title: vscode.l10n.t('Open Sampling Request'), arguments: [record.id] };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
