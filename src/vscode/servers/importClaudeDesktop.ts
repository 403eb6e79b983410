/** `mcpSampling.importClaudeDesktop`: copies chosen servers from Claude Desktop's config into `mcpSampling.servers`. */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { claudeDesktopConfigPath, parseClaudeDesktopConfig } from '../../core/config/claudeDesktop';
import { toSettingsEntry } from '../../core/config/serverDefinition';
import type { Logger } from '../../core/logger';
import { setUserServerDefinitions, userServerDefinitions } from '../config';

async function chooseConfigFile(): Promise<vscode.Uri | undefined> {
  const defaultPath = vscode.Uri.file(claudeDesktopConfigPath(process.platform, os.homedir(), process.env));
  try {
    await vscode.workspace.fs.stat(defaultPath);
    return defaultPath;
  } catch {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Claude Desktop config not found at its usual place: choose {0}', 'claude_desktop_config.json'),
      canSelectMany: false,
      filters: { JSON: ['json'] },
    });
    return picked?.[0];
  }
}

export function registerImportClaudeDesktopCommand(logger: Logger): vscode.Disposable {
  return vscode.commands.registerCommand('mcpSampling.importClaudeDesktop', async () => {
    const file = await chooseConfigFile();
    if (!file) return;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', file.fsPath, error instanceof Error ? error.message : String(error)));
      return;
    }
    const parsed = parseClaudeDesktopConfig(text, file.fsPath);
    for (const error of parsed.errors) logger.warn(`Claude Desktop import: ${error.message}`);
    if (parsed.definitions.length === 0) {
      void vscode.window.showWarningMessage(
        parsed.errors.length ? vscode.l10n.t('No usable servers in {0} ({1} problems, see the log).', file.fsPath, parsed.errors.length) : vscode.l10n.t('No usable servers in {0}.', file.fsPath),
      );
      return;
    }
    const existing = userServerDefinitions();
    const picked = await vscode.window.showQuickPick(
      parsed.definitions.map((d) => ({
        label: d.name,
        description: existing[d.name] !== undefined ? vscode.l10n.t('replaces the existing entry') : '',
        detail: d.type === 'stdio' ? [d.command, ...d.args].join(' ') : d.url,
        picked: existing[d.name] === undefined,
        definition: d,
      })),
      { title: vscode.l10n.t('Import servers from Claude Desktop'), canPickMany: true, placeHolder: vscode.l10n.t('Choose the servers to add to the mcpSampling.servers setting') },
    );
    if (!picked?.length) return;
    for (const item of picked) existing[item.definition.name] = toSettingsEntry(item.definition);
    await setUserServerDefinitions(existing);
    void vscode.window.showInformationMessage(picked.length === 1 ? vscode.l10n.t('Imported 1 server from Claude Desktop.') : vscode.l10n.t('Imported {0} servers from Claude Desktop.', picked.length));
  });
}
