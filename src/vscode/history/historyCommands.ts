/**
 * History commands. Each also works without UI for automation and tests:
 *   mcpSampling.exportHistory(targetPath?)   -> the path written, or undefined when cancelled
 *   mcpSampling.clearHistory({ confirm: true }) -> true when cleared
 *   mcpSampling.openHistoryEntry(id)
 *   mcpSampling.refreshHistory()
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { historyEntryUri } from './historyDocuments';
import type { HistoryStore } from './historyStore';
import { OPEN_HISTORY_ENTRY_COMMAND, type HistoryNode } from './historyView';

function targetFromArgument(argument: unknown): string | undefined {
  if (typeof argument === 'string' && argument.trim() !== '') return argument;
  if (argument instanceof vscode.Uri && argument.scheme === 'file') return argument.fsPath;
  return undefined;
}

async function askForTarget(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const uri = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Sampling History'),
    defaultUri: vscode.Uri.file(path.join(folder, 'mcp-sampling-history.json')),
    filters: { JSON: ['json'] },
  });
  return uri?.fsPath;
}

export async function exportHistory(store: HistoryStore, target: string): Promise<string> {
  const records = await store.records({ fresh: true });
  // The records on disk were already redacted (no API keys) and stripped of media data when written.
  const json = JSON.stringify({ exportedAt: new Date().toISOString(), count: records.length, records }, null, 2);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, `${json}\n`, { encoding: 'utf8', mode: 0o600 });
  return target;
}

export function registerHistoryCommands(store: HistoryStore, logger: Logger): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mcpSampling.refreshHistory', () => store.refresh()),
    vscode.commands.registerCommand(OPEN_HISTORY_ENTRY_COMMAND, async (argument?: unknown) => {
      const node = argument as HistoryNode | undefined;
      const id = typeof argument === 'string' ? argument : node?.kind === 'record' ? node.record.id : undefined;
      const record = id ? await store.find(id) : undefined;
      if (!record) {
        void vscode.window.showWarningMessage(vscode.l10n.t('This request is no longer in the history.'));
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument(historyEntryUri(record));
      await vscode.window.showTextDocument(document, { preview: true });
      return document.uri.toString();
    }),
    vscode.commands.registerCommand('mcpSampling.exportHistory', async (argument?: unknown) => {
      const programmatic = targetFromArgument(argument);
      const target = programmatic ?? (await askForTarget());
      if (!target) return undefined;
      try {
        await exportHistory(store, target);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.error(`Exporting the sampling history failed: ${message}`);
        if (programmatic) throw error;
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the sampling history: {0}', message));
        return undefined;
      }
      logger.info(`Exported the sampling history to ${target}`);
      if (!programmatic) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Sampling history exported to {0}.', target), vscode.l10n.t('Open')).then((choice) => {
          if (choice) void vscode.window.showTextDocument(vscode.Uri.file(target));
        });
      }
      return target;
    }),
    vscode.commands.registerCommand('mcpSampling.clearHistory', async (options?: unknown) => {
      const confirmed = typeof options === 'object' && options !== null && (options as { confirm?: unknown }).confirm === true;
      if (!confirmed) {
        const count = (await store.records({ fresh: true })).length;
        const clear = vscode.l10n.t('Clear History');
        const choice = await vscode.window.showWarningMessage(
          count === 1 ? vscode.l10n.t('Delete the one entry of the sampling history?') : vscode.l10n.t('Delete all {0} entries of the sampling history?', count),
          { modal: true, detail: vscode.l10n.t('This cannot be undone. Export the history first to keep a copy.') },
          clear,
        );
        if (choice !== clear) return false;
      }
      await store.clear();
      logger.info('Cleared the sampling history');
      return true;
    }),
  );
}
