/**
 * The keys of the OpenAI-compatible endpoint, kept in the secret store only (one entry, a JSON
 * list): a key per client the user names (Connect Another Client…), and a key per server definition
 * with `"llmEndpoint": true` (given to its process as OPENAI_API_KEY). A bearer token is compared
 * with every key in constant time; each key is registered with the log redaction when known.
 */
import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, type Event } from '../../events';
import type { SecretStore } from '../../secretStore';
import { hasValidBearer, newGatewayToken } from '../security';

export const LLM_KEYS_SECRET = 'mcpSampling.llmEndpoint.keys';
/** At most this many keys: each request compares its token with every one. */
export const MAX_LLM_KEYS = 200;
export const MAX_KEY_NAME_LENGTH = 64;

export interface LlmKeyInfo {
  readonly id: string;
  /** The client's name as the user typed it, or the server definition's name. */
  readonly name: string;
  readonly kind: 'client' | 'server';
  readonly createdAt: number;
}

interface StoredKey extends LlmKeyInfo {
  readonly token: string;
}

function parseStored(text: string | undefined): StoredKey[] {
  if (!text) return [];
  try {
    const list: unknown = JSON.parse(text);
    if (!Array.isArray(list)) return [];
    return list.filter(
      (k): k is StoredKey =>
        typeof k === 'object' && k !== null && typeof k.id === 'string' && typeof k.name === 'string' && (k.kind === 'client' || k.kind === 'server') && typeof k.token === 'string' && k.token.length >= 32,
    );
  } catch {
    return [];
  }
}

/** Trims a typed name and says what is wrong with it, if anything. */
export function checkKeyName(name: string, taken: (name: string) => boolean): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Type a name, e.g. "my script".';
  if (trimmed.length > MAX_KEY_NAME_LENGTH) return `At most ${MAX_KEY_NAME_LENGTH} characters.`;
  if (/[\p{Cc}\p{Cf}]/u.test(trimmed)) return 'No control or invisible characters.';
  if (taken(trimmed)) return `"${trimmed}" is already a key's or a server's name.`;
  return undefined;
}

export class LlmCallerKeys implements Disposable {
  private keys: StoredKey[] = [];
  private loading: Promise<void> | undefined;
  /** Writes one after another, each from the list as the last one left it. */
  private writing: Promise<void> = Promise.resolve();
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changeEmitter.event;
  private readonly subscription: Disposable;

  constructor(
    private readonly secrets: SecretStore,
    private readonly addSecret: (value: string) => void,
  ) {
    // Another window of the profile may add or revoke a key.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== LLM_KEYS_SECRET) return;
      this.loading = undefined;
      void this.load().then(() => this.changeEmitter.fire(), () => undefined);
    });
  }

  load(): Promise<void> {
    this.loading ??= Promise.resolve(this.secrets.get(LLM_KEYS_SECRET)).then((text) => {
      this.keys = parseStored(text);
      for (const k of this.keys) this.addSecret(k.token);
    });
    const loading = this.loading;
    loading.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
  }

  list(): LlmKeyInfo[] {
    return this.keys.map(({ id, name, kind, createdAt }) => ({ id, name, kind, createdAt }));
  }

  /** The key a bearer token belongs to; every key is compared (constant time each). */
  authenticate(authorization: string | undefined): LlmKeyInfo | undefined {
    let found: StoredKey | undefined;
    for (const key of this.keys) if (hasValidBearer(authorization, key.token) && !found) found = key;
    return found && { id: found.id, name: found.name, kind: found.kind, createdAt: found.createdAt };
  }

  /** A new key for a client the user named; returns its token (shown once, to be copied). */
  async createClientKey(name: string): Promise<string> {
    return this.update((keys) => {
      if (keys.length >= MAX_LLM_KEYS) throw new Error(`There are already ${MAX_LLM_KEYS} keys; revoke some first.`);
      const token = newGatewayToken();
      return { keys: [...keys, { id: `key:${randomUUID()}`, name: name.trim(), kind: 'client', createdAt: Date.now(), token }], value: token };
    });
  }

  /** The key of a server definition (`"llmEndpoint": true`), minted on first use. */
  async serverKey(definitionName: string): Promise<string> {
    await this.load();
    const existing = this.keys.find((k) => k.kind === 'server' && k.name === definitionName);
    if (existing) return existing.token;
    return this.update((keys) => {
      const again = keys.find((k) => k.kind === 'server' && k.name === definitionName);
      if (again) return { keys, value: again.token };
      const token = newGatewayToken();
      return { keys: [...keys, { id: `server:${definitionName}`, name: definitionName, kind: 'server', createdAt: Date.now(), token }], value: token };
    });
  }

  async revoke(id: string): Promise<void> {
    await this.update((keys) => ({ keys: keys.filter((k) => k.id !== id), value: undefined }));
  }

  /**
   * Rotate: every client key is revoked (its holder asks for a new one with Connect Another Client…)
   * and every server key replaced (a server gets the new one when it restarts). Returns the servers
   * whose key changed.
   */
  async rotateAll(): Promise<string[]> {
    return this.update((keys) => {
      const servers = keys.filter((k) => k.kind === 'server');
      return { keys: servers.map((k) => ({ ...k, token: newGatewayToken(), createdAt: Date.now() })), value: servers.map((k) => k.name) };
    });
  }

  private update<T>(change: (keys: StoredKey[]) => { keys: StoredKey[]; value: T }): Promise<T> {
    const run = this.writing.then(async () => {
      await this.load();
      const next = change(this.keys);
      for (const k of next.keys) this.addSecret(k.token);
      await this.secrets.store(LLM_KEYS_SECRET, JSON.stringify(next.keys));
      this.keys = next.keys;
      this.loading = Promise.resolve();
      this.changeEmitter.fire();
      return next.value;
    });
    this.writing = run.then(() => undefined, () => undefined);
    return run;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
