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
      const open = 'Open Settings';
      if ((await vscode.window.showWarningMessage('No OpenAI-compatible provider is configured in mcpSampling.providers.', open)) === open) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'mcpSampling.providers');
      }
      return false;
    }
    const id = typeof providerId === 'string' ? providerId : await vscode.window.showQuickPick(ids, { title: 'Set API Key', placeHolder: 'Which provider?' });
    if (!id) return false;
    const value = await vscode.window.showInputBox({ title: `API key for ${id}`, password: true, ignoreFocusOut: true, prompt: 'Stored in the editor\'s secret storage. Leave empty to delete the key.' });
    if (value === undefined) return false;
    await store.set(id, value.trim());
    vscode.window.showInformationMessage(value.trim() ? `API key for ${id} saved in secret storage.` : `API key for ${id} deleted.`);
    return true;
  });
}
