/**
 * API keys of OpenAI-compatible providers: kept only in SecretStorage, never in settings, logs,
 * history or webview messages. `mcpSampling.setApiKey` sets one interactively or, for automation,
 * with `(providerId, key)`; an empty key deletes it.
 */
import * as vscode from 'vscode';

const secretName = (providerId: string) => `mcpSampling.apiKey.${providerId}`;

export class ApiKeyStore {
  /** The read of each provider's key, shared by the requests that wait for it (one SecretStorage read, not one per request). */
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly onKnownSecret: (value: string) => void,
  ) {}

  get(providerId: string): Promise<string | undefined> {
    let read = this.cache.get(providerId);
    if (!read) {
      read = Promise.resolve(this.secrets.get(secretName(providerId))).then((value) => {
        if (value) this.onKnownSecret(value);
        return value;
      });
      this.cache.set(providerId, read);
      // A failed read is not kept: the next request reads again.
      read.catch(() => {
        if (this.cache.get(providerId) === read) this.cache.delete(providerId);
      });
    }
    return read;
  }

  async set(providerId: string, key: string): Promise<void> {
    if (key) {
      this.onKnownSecret(key);
      await this.secrets.store(secretName(providerId), key);
      this.cache.set(providerId, Promise.resolve(key));
    } else {
      await this.secrets.delete(secretName(providerId));
      this.cache.set(providerId, Promise.resolve(undefined));
    }
  }

  /** Drops cached values when another window changes a secret. */
  watch(): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith('mcpSampling.apiKey.')) this.cache.delete(e.key.slice('mcpSampling.apiKey.'.length));
    });
  }
}

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
