/**
 * The gateway's bearer token, kept in SecretStorage (never in settings, logs or history). Created on
 * first use; rotating it replaces it at once.
 */
import * as vscode from 'vscode';
import { newGatewayToken } from '../../core/gateway/security';

export class GatewayToken implements vscode.Disposable {
  private value: string | undefined;
  private loading: Promise<string> | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** The SecretStorage key. */
    private readonly key: string,
    /** Registers the value with the log redaction. */
    private readonly addSecret: (value: string) => void,
  ) {
    // Another window of the same profile may rotate it.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key !== this.key) return;
      this.value = undefined;
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
    this.loading ??= (async () => {
      let token = await this.secrets.get(this.key);
      if (!token || token.length < 32) {
        token = newGatewayToken();
        await this.secrets.store(this.key, token);
      }
      this.addSecret(token);
      this.value = token;
      return token;
    })();
    // A failed read (no keyring, say) is not kept: the next caller tries again.
    const loading = this.loading;
    loading.catch(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    return loading;
  }

  async rotate(): Promise<string> {
    const token = newGatewayToken();
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
