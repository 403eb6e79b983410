/** Read-only Markdown documents for past requests: `mcp-sampling-history:/<id>.md`. */
import * as vscode from 'vscode';
import { recordToMarkdown } from './recordMarkdown';
import type { HistoryStore } from './historyStore';

export const HISTORY_SCHEME = 'mcp-sampling-history';

export function historyEntryUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${encodeURIComponent(id)}.md` });
}

function idFromUri(uri: vscode.Uri): string {
  return decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
}

export class HistoryDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: HistoryStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const record = await this.store.find(idFromUri(uri));
    if (!record) return `# ${vscode.l10n.t('This request is no longer in the history.')}\n`;
    return recordToMarkdown(record, vscode.l10n.t);
  }
}
