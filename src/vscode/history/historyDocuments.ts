/** Read-only Markdown documents for past requests: `mcp-sampling-history:/<server>-<tool>-<time>.md?id=<id>`. */
import * as vscode from 'vscode';
import type { HistoryRecord } from '../../core/history/history';
import { recordToMarkdown } from './recordMarkdown';
import type { HistoryStore } from './historyStore';

export const HISTORY_SCHEME = 'mcp-sampling-history';

/** A readable tab title (server, tool, time) in the path; the record's id in the query. */
export function historyEntryUri(record: HistoryRecord): vscode.Uri {
  const time = new Date(record.receivedAt).toISOString().slice(11, 19).replace(/:/g, '-');
  const name = `${record.serverName}${record.toolCall ? `-${record.toolCall.name}` : ''}-${time}`.replace(/[^\w.-]+/g, '_').slice(0, 80);
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${name}.md`, query: new URLSearchParams({ id: record.id }).toString() });
}

function idFromUri(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('id') ?? '';
}

export class HistoryDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: HistoryStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const record = await this.store.find(idFromUri(uri));
    if (!record) return `# ${vscode.l10n.t('This request is no longer in the history.')}\n`;
    return recordToMarkdown(record);
  }
}
