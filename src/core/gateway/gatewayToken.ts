/**
 * The gateway's bearer token, kept in the secret store (never in settings, logs or history). Created
 * on first use; rotating it replaces it at once.
 */
import { Emitter, type Disposable, type Event } from '../events';
import type { SecretStore } from '../secretStore';
import { newGatewayToken } from './security';

/** Shorter stored values are replaced: a token must not be guessable. */
const MIN_TOKEN_LENGTH = 32;

export class GatewayToken implements Disposable {
  private value: string | undefined;
  private loading: Promise<string> | undefined;
  /** Bumped by each load and rotation, so an older read never replaces a newer token. */
  private generation = 0;
  private readonly changeEmitter = new Emitter<void>();
  /** Fires when the token was rotated, here or in another window. */
  readonly onDidChange: Event<void> = this.changeEmitter.event;
  private readonly subscription: Disposable;

  constructor(
    private readonly secrets: SecretStore,
    /** The secret store's key. */
    private readonly key: string,
    /** Registers the value with the log redaction. */
    private readonly addSecret: (value: string) => void,
  ) {
    // Another window of the same profile may rotate it. The value in hand stays until the new one
    // is read, so requests that arrive meanwhile are not all refused.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== this.key) return;
      this.loading = undefined;
      this.load().then(
        () => this.changeEmitter.fire(),
        () => undefined, // load() is retried by the next caller, which reports the error
      );
    });
  }

  /** The token now, or '' before it is loaded (so no request passes). */
  get current(): string {
    return this.value ?? '';
  }

  load(): Promise<string> {
    if (this.loading) return this.loading;
    const generation = ++this.generation;
    const loading = (async () => {
      let token = await this.secrets.get(this.key);
      if (!token || token.length < MIN_TOKEN_LENGTH) {
        token = newGatewayToken();
        await this.secrets.store(this.key, token);
      }
      this.addSecret(token);
      // A rotate() while this read was in flight wins.
      if (generation === this.generation) this.value = token;
      return this.value ?? token;
    })();
    this.loading = loading;
    // A failed read (no keyring, say) is not kept: the next caller tries again.
    loading.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
  }

  async rotate(): Promise<string> {
    const token = newGatewayToken();
    this.generation++;
    this.addSecret(token);
    this.value = token;
    this.loading = Promise.resolve(token);
    await this.secrets.store(this.key, token);
    this.changeEmitter.fire();
    return token;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
