/**
 * OAuth sign-in for HTTP MCP servers in VS Code: asks before opening the browser (showing the
 * host), opens it with `vscode.env.openExternal`, takes the redirect with a URI handler
 * (`<scheme>://mcp-sampling.mcp-sampling-client/oauth/callback`), and keeps tokens in SecretStorage.
 */
import * as vscode from 'vscode';
import type { DisposableStore } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import type { AuthorizationResult, AuthorizationUi, OAuthConnectionOptions, TokenStore } from '../../core/mcp/oauth';
import { PendingAuthorizations } from '../../core/mcp/pendingAuthorizations';

const EXTENSION_AUTHORITY = 'mcp-sampling.mcp-sampling-client';
const CALLBACK_PATH = '/oauth/callback';
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** Tokens and client registrations in SecretStorage (encrypted by the OS keychain). */
export class SecretTokenStore implements TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}
  async get(key: string): Promise<unknown> {
    const text = await this.secrets.get(key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  async set(key: string, value: unknown): Promise<void> {
    await this.secrets.store(key, JSON.stringify(value));
  }
  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }
}

/** Receives `…/oauth/callback?code=…&state=…` and hands it to the sign-in that sent that state. */
export class OAuthUriHandler implements vscode.UriHandler {
  readonly pending = new PendingAuthorizations();
  constructor(private readonly logger: Logger) {}
  handleUri(uri: vscode.Uri): void {
    if (uri.path !== CALLBACK_PATH) return;
    // Never log the query: it carries the authorization code.
    if (!this.pending.deliver(new URLSearchParams(uri.query))) this.logger.warn('A sign-in callback arrived that no sign-in is waiting for; ignored.');
  }
}

function callbackUri(): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_AUTHORITY}${CALLBACK_PATH}`);
}

export class VsCodeAuthorizationUi implements AuthorizationUi {
  private externalRedirect: string | undefined;

  constructor(
    private readonly handler: OAuthUriHandler,
    private readonly logger: Logger,
  ) {
    // In remote and web setups the callback must be reachable from the browser's machine.
    void vscode.env.asExternalUri(callbackUri()).then(
      (uri) => (this.externalRedirect = uri.toString(true)),
      () => undefined,
    );
  }

  get redirectUrl(): string {
    return this.externalRedirect ?? callbackUri().toString(true);
  }

  async authorize(authorizationUrl: URL, signal: AbortSignal, context?: { readonly serverName: string }): Promise<AuthorizationResult> {
    if (authorizationUrl.protocol !== 'https:' && authorizationUrl.protocol !== 'http:') throw new Error(vscode.l10n.t('Refusing to open a {0} authorization URL.', authorizationUrl.protocol));
    const server = context?.serverName;
    const open = vscode.l10n.t('Open Browser');
    const choice = await vscode.window.showInformationMessage(
      server !== undefined
        ? vscode.l10n.t('MCP server "{0}" requires sign-in. Open the browser to sign in at {1}?', server, authorizationUrl.host)
        : vscode.l10n.t('An MCP server requires sign-in. Open the browser to sign in at {0}?', authorizationUrl.host),
      { modal: true, detail: vscode.l10n.t('The sign-in page is served by {0}. Tokens are kept in VS Code\'s secret storage.', authorizationUrl.origin) },
      open,
    );
    if (choice !== open || signal.aborted) throw new Error(vscode.l10n.t('Sign-in was cancelled.'));
    const state = authorizationUrl.searchParams.get('state') ?? '';
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Waiting for sign-in to {0} in the browser…', authorizationUrl.host), cancellable: true },
      async (_progress, token) => {
        const cancel = new AbortController();
        const onAbort = () => cancel.abort(new Error(vscode.l10n.t('Sign-in was cancelled.')));
        signal.addEventListener('abort', onAbort, { once: true });
        const subscription = token.onCancellationRequested(onAbort);
        try {
          const waiting = this.handler.pending.wait(state, cancel.signal, SIGN_IN_TIMEOUT_MS);
          // If opening the browser throws, the wait is ended here and its rejection is not left unhandled.
          waiting.catch(() => undefined);
          let opened: boolean;
          try {
            // Uri.parse(…, true) keeps the query exactly as the SDK encoded it.
            opened = await vscode.env.openExternal(vscode.Uri.parse(authorizationUrl.href, true));
          } catch (error) {
            cancel.abort(new Error(vscode.l10n.t('The browser could not be opened.')));
            throw error;
          }
          if (!opened) {
            cancel.abort(new Error(vscode.l10n.t('The browser could not be opened.')));
          } else {
            this.logger.info(`[${server ?? 'server'}] opened the browser for sign-in at ${authorizationUrl.origin}`);
          }
          return await waiting;
        } finally {
          subscription.dispose();
          signal.removeEventListener('abort', onAbort);
        }
      },
    );
  }
}

/**
 * Registers the URI handler that receives sign-in redirects and returns the OAuth options for
 * `createServerServices` (tokens in SecretStorage). Call once: VS Code allows one URI handler.
 */
export function registerOAuth(owner: DisposableStore, context: vscode.ExtensionContext, logger: Logger): OAuthConnectionOptions {
  const handler = new OAuthUriHandler(logger);
  owner.add(vscode.window.registerUriHandler(handler));
  return { store: new SecretTokenStore(context.secrets), ui: new VsCodeAuthorizationUi(handler, logger) };
}
