/**
 * `mcpSampling.setApiKey`: sets an OpenAI-compatible provider's API key interactively or, for
 * automation, with `(providerId, key)`; an empty key deletes it. The keys live in SecretStorage only
 * (`core/providers/apiKeyStore`).
 */
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../core/providers/apiKeyStore';

export function registerSetApiKeyCommand(store: ApiKeyStore, providerIds: () => string[]): vscode.Disposable {
  return vscode.commands.registerCommand('mcpSampling.setApiKey', async (providerId?: unknown, key?: unknown) => {
    if (typeof providerId === 'string' && typeof key === 'string') {
      await store.set(providerId, key);
      return true;
    }
    const ids = providerIds();
    if (ids.length === 0) {
      const open = vscode.l10n.t('Open Settings');
      if ((await vscode.window.showWarningMessage(vscode.l10n.t('No OpenAI-compatible provider is configured in {0}.', 'mcpSampling.providers'), open)) === open) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'mcpSampling.providers');
      }
      return false;
    }
    const id = typeof providerId === 'string' ? providerId : await vscode.window.showQuickPick(ids, { title: vscode.l10n.t('Set API Key'), placeHolder: vscode.l10n.t('Which provider?') });
    if (!id) return false;
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('API key for {0}', id),
      password: true,
      ignoreFocusOut: true,
      prompt: vscode.l10n.t("Stored in VS Code's secret storage. Leave empty to delete the key."),
    });
    if (value === undefined) return false;
    await store.set(id, value.trim());
    void vscode.window.showInformationMessage(value.trim() ? vscode.l10n.t("API key for {0} saved in VS Code's secret storage.", id) : vscode.l10n.t('API key for {0} deleted.', id));
    return true;
  });
}
