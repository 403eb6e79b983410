/**
 * API keys of OpenAI-compatible providers: kept only in the secret store, never in settings, logs,
 * history or webview messages. Each key is read once and the read is shared by the requests that
 * wait for it; a failed read is not kept.
 */
import type { Disposable } from '../events';
import type { SecretStore } from '../secretStore';

const PREFIX = 'mcpSampling.apiKey.';

export class ApiKeyStore {
  /** The read of each provider's key, shared by the requests that wait for it. */
  private readonly cache = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: SecretStore,
    /** Registers a key with the log redaction as soon as it is known. */
    private readonly onKnownSecret: (value: string) => void,
  ) {}

  get(providerId: string): Promise<string | undefined> {
    let read = this.cache.get(providerId);
    if (!read) {
      const started = Promise.resolve(this.secrets.get(PREFIX + providerId)).then((value) => {
        if (value) this.onKnownSecret(value);
        return value;
      });
      read = started;
      this.cache.set(providerId, started);
      // A failed read (no keyring, say) is not kept: the next request reads again.
      started.catch(() => {
        if (this.cache.get(providerId) === started) this.cache.delete(providerId);
      });
    }
    return read;
  }

  /** Stores a key; an empty key deletes it. A read still in flight does not overwrite it. */
  async set(providerId: string, key: string): Promise<void> {
    if (key) {
      this.onKnownSecret(key);
      await this.secrets.store(PREFIX + providerId, key);
      this.cache.set(providerId, Promise.resolve(key));
    } else {
      await this.secrets.delete(PREFIX + providerId);
      this.cache.set(providerId, Promise.resolve(undefined));
    }
  }

  /** Drops a cached key when the store says it changed (another window set or deleted it). */
  watch(): Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) this.cache.delete(e.key.slice(PREFIX.length));
    });
  }
}
