/**
 * Wiring for the Sampling History view: the store reading the JSONL history, the tree, the
 * read-only request documents and the export/clear/open/refresh commands.
 */
import * as vscode from 'vscode';
import type { DisposableStore } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import type { HistorySink } from '../../core/history/history';
import type { ServerUsage } from '../../core/history/usage';
import { HISTORY_SCHEME, HistoryDocumentProvider } from './historyDocuments';
import { registerHistoryCommands } from './historyCommands';
import { HistoryStore } from './historyStore';
import { HISTORY_VIEW_ID, HistoryTreeProvider, usageSummary } from './historyView';

export interface HistoryDeps {
  readonly logger: Logger;
  /** Where the history is kept; defaults to the extension's global storage. */
  readonly directory?: string;
  /** Every secret known now (API keys, `${input:}` values), redacted before a record is written. */
  readonly secrets?: () => readonly string[];
}

export interface HistoryServices {
  /** The one history object: the pipeline appends here, the view reads the same. */
  readonly sink: HistorySink;
  readonly view: HistoryTreeProvider;
  /** Token totals of one server as of the last reload; undefined when it has no history. */
  usageFor(serverName: string): ServerUsage | undefined;
  /** A one-line summary of a server's usage for tooltips, or undefined. */
  usageSummaryFor(serverName: string): string | undefined;
  /** Fires after the history was reloaded (e.g. to refresh the Servers view's tooltips). */
  readonly onDidChange: vscode.Event<void>;
  /** Reloads the file now (the view also watches it). */
  refresh(): void;
}

export function registerHistory(owner: DisposableStore, context: vscode.ExtensionContext, deps: HistoryDeps): HistoryServices {
  const store = owner.add(new HistoryStore(deps.directory ?? context.globalStorageUri.fsPath, deps.logger, deps.secrets));
  const view = owner.add(new HistoryTreeProvider(store));
  owner.add(vscode.window.registerTreeDataProvider(HISTORY_VIEW_ID, view));
  owner.add(vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, new HistoryDocumentProvider(store)));
  owner.add(registerHistoryCommands(store, deps.logger));
  // Load once in the background so usage is known for tooltips before the view is opened.
  void store.records();
  return {
    sink: store,
    view,
    usageFor: (name) => store.usageFor(name),
    usageSummaryFor: (name) => {
      const usage = store.usageFor(name);
      return usage ? usageSummary(usage) : undefined;
    },
    onDidChange: store.onDidChange,
    refresh: () => store.refresh(),
  };
}
