/**
 * OAuth for HTTP MCP servers: the SDK's `OAuthClientProvider` for one server, keeping its client
 * registration, tokens, PKCE verifier and discovery state in an injected store (SecretStorage in
 * VS Code, memory in the CLI and tests). The SDK does discovery, registration, PKCE and refresh; the
 * injected `AuthorizationUi` shows the authorization page and brings back the code.
 * Nothing here logs: tokens must never reach a log.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isRecord } from '../../shared/isRecord';

/** JSON values by key; VS Code backs it with SecretStorage. */
export interface TokenStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface AuthorizationResult {
  readonly code: string;
  readonly state?: string;
  /** The authorization server's issuer in the redirect (RFC 9207), when it sent one. */
  readonly iss?: string;
}

/** Shows the authorization page to the user (or a headless stand-in) and waits for the redirect. */
export interface AuthorizationUi {
  /** Where the authorization server sends the browser back to, registered with the server. */
  readonly redirectUrl: string;
  authorize(authorizationUrl: URL, signal: AbortSignal, context?: { readonly serverName: string }): Promise<AuthorizationResult>;
}

export interface OAuthConnectionOptions {
  readonly store: TokenStore;
  readonly ui: AuthorizationUi;
  /** Credentials registered with the authorization server beforehand (no dynamic registration then). */
  readonly clientInformation?: { readonly client_id: string; readonly client_secret?: string };
  readonly clientName?: string;
}

/** A store in memory: for the CLI and tests. */
export class MemoryTokenStore implements TokenStore {
  private readonly values = new Map<string, string>();
  get(key: string): Promise<unknown> {
    const text = this.values.get(key);
    return Promise.resolve(text === undefined ? undefined : JSON.parse(text));
  }
  set(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }
  get size(): number {
    return this.values.size;
  }
}

interface StoredRecord {
  client?: OAuthClientInformationMixed;
  tokens?: OAuthTokens;
  verifier?: string;
  discovery?: OAuthDiscoveryState;
}

/** The store key for one server: name and URL, so a server moved to another URL signs in again. */
export function oauthStoreKey(serverName: string, serverUrl: string): string {
  return `mcp-oauth:${serverName}:${serverUrl}`;
}

/**
 * Whether metadata's `issuer` is the issuer its well-known URL was built from. The SDK builds that
 * URL from the origin and the path without a trailing slash, so `https://as/` and `https://as` are
 * the same identifier; anything else must match exactly.
 */
export function sameIssuer(issuer: string, authorizationServerUrl: string): boolean {
  if (issuer === authorizationServerUrl) return true;
  try {
    const url = new URL(authorizationServerUrl);
    return issuer === `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return false;
  }
}

export class StoredOAuthProvider implements OAuthClientProvider {
  private readonly key: string;
  private record: StoredRecord | undefined;
  private pending: { url: URL; verifier: string | undefined } | undefined;
  private expectedState: string | undefined;
  /** Verifiers saved lately: concurrent requests may start sign-ins whose saves interleave. */
  private recentVerifiers: string[] = [];
  /** Scopes asked for in this connection's sign-ins so far. */
  private requestedScopes: string[] = [];
  /** The verifier of the sign-in being finished, matched to its URL's code_challenge. */
  private finishingVerifier: string | undefined;

  constructor(
    serverName: string,
    serverUrl: string,
    private readonly options: OAuthConnectionOptions,
  ) {
    this.key = oauthStoreKey(serverName, serverUrl);
  }

  get redirectUrl(): string {
    return this.options.ui.redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const secret = this.options.clientInformation?.client_secret;
    // SEP-837: an editor extension and the CLI are native apps (loopback or editor-URI redirects).
    // The SDK's type does not know the field yet; registration sends the object as it is.
    const applicationType = { application_type: 'native' } as Record<string, string>;
    return {
      ...applicationType,
      client_name: this.options.clientName ?? 'MCP Sampling Client',
      redirect_uris: [this.options.ui.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: secret ? 'client_secret_basic' : 'none',
    };
  }

  state(): string {
    return randomBytes(16).toString('base64url');
  }

  /**
   * The authorization URL the SDK asked us to open last (it then throws `UnauthorizedError`); taken
   * once. From then on `codeVerifier()` and `checkAuthorizationResponse` belong to that URL.
   */
  takePendingAuthorization(): URL | undefined {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return undefined;
    this.expectedState = pending.url.searchParams.get('state') ?? undefined;
    this.finishingVerifier = pending.verifier;
    return pending.url;
  }

  /**
   * Rejects a redirect whose `state` is not the one we sent (a forged or stale callback), and one
   * whose `iss` (RFC 9207, SEP-2468) is not the issuer we discovered, compared as the exact string:
   * a present `iss` always, a missing one when the server's metadata says it sends it.
   */
  async checkAuthorizationResponse(result: Pick<AuthorizationResult, 'state' | 'iss'>): Promise<void> {
    if (this.expectedState !== undefined && result.state !== this.expectedState) throw new Error('The sign-in answer does not belong to this sign-in (state mismatch).');
    const metadata = (await this.load()).discovery?.authorizationServerMetadata as { issuer?: unknown; authorization_response_iss_parameter_supported?: unknown } | undefined;
    const issuer = typeof metadata?.issuer === 'string' ? metadata.issuer : undefined;
    if (result.iss !== undefined) {
      if (result.iss !== issuer) throw new Error(`The sign-in answer names issuer ${JSON.stringify(result.iss.slice(0, 200))}, not the authorization server signed in with${issuer ? ` (${issuer})` : ''}.`);
    } else if (metadata?.authorization_response_iss_parameter_supported === true) {
      throw new Error('The sign-in answer carries no issuer (iss), though the authorization server says it sends one.');
    }
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const fixed = this.options.clientInformation;
    if (fixed) return { ...fixed };
    return (await this.load()).client;
  }

  async saveClientInformation(clientInformation: OAuthClientInformationMixed): Promise<void> {
    await this.update((r) => (r.client = clientInformation));
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    return (await this.load()).tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.update((r) => (r.tokens = tokens));
  }

  redirectToAuthorization(authorizationUrl: URL): void {
    // A step-up asks for the challenged scope; keep what was asked for before (SEP-2350), or the new
    // token would lose the access the old one had.
    const requested = authorizationUrl.searchParams.get('scope');
    if (requested !== null) {
      const granted = typeof this.record?.tokens?.scope === 'string' ? this.record.tokens.scope.split(' ') : [];
      const union = [...new Set([...this.requestedScopes, ...granted, ...requested.split(' ')].filter((s) => s.length > 0))].slice(0, 100);
      this.requestedScopes = union;
      authorizationUrl.searchParams.set('scope', union.join(' '));
    }
    const challenge = authorizationUrl.searchParams.get('code_challenge');
    const verifier = this.recentVerifiers.find((v) => createHash('sha256').update(v).digest('base64url') === challenge);
    this.pending = { url: authorizationUrl, verifier };
  }

  async saveCodeVerifier(codeVerifier: string): Promise<void> {
    this.recentVerifiers = [codeVerifier, ...this.recentVerifiers].slice(0, 8);
    await this.update((r) => (r.verifier = codeVerifier));
  }

  async codeVerifier(): Promise<string> {
    const verifier = this.finishingVerifier ?? (await this.load()).verifier;
    if (!verifier) throw new Error('No PKCE code verifier is stored for this sign-in.');
    return verifier;
  }

  /**
   * The SDK saves what discovery found before it uses any endpoint: metadata whose issuer is not the
   * authorization server it was fetched for (RFC 8414 section 3.3) is refused here, unused. Only an
   * issuer the resource named (its metadata's `authorization_servers`) is held to that; the
   * 2025-03-26 fallback (no resource metadata, the server's own origin) names none.
   */
  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    const issuer = state.authorizationServerMetadata?.issuer;
    const named = state.resourceMetadata?.authorization_servers?.includes(state.authorizationServerUrl) === true;
    if (named && issuer !== undefined && !sameIssuer(issuer, state.authorizationServerUrl)) {
      throw new Error(`The authorization server's metadata names issuer ${JSON.stringify(String(issuer).slice(0, 200))}, not ${state.authorizationServerUrl}; refusing to sign in there.`);
    }
    await this.update((r) => (r.discovery = state));
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return (await this.load()).discovery;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all') {
      this.record = {};
      await this.options.store.delete(this.key);
      return;
    }
    await this.update((r) => {
      if (scope === 'client') delete r.client;
      else if (scope === 'tokens') delete r.tokens;
      else if (scope === 'verifier') delete r.verifier;
      else delete r.discovery;
    });
  }

  /** Forgets everything stored for this server (sign out). */
  async clear(): Promise<void> {
    await this.invalidateCredentials('all');
  }

  private async load(): Promise<StoredRecord> {
    if (this.record) return this.record;
    const value = await this.options.store.get(this.key);
    // Stored by us, but a store is outside data: keep only what has the right shape.
    const record: StoredRecord = {};
    if (isRecord(value)) {
      if (isRecord(value['client']) && typeof value['client']['client_id'] === 'string') record.client = value['client'] as OAuthClientInformationMixed;
      if (isRecord(value['tokens']) && typeof value['tokens']['access_token'] === 'string') record.tokens = value['tokens'] as OAuthTokens;
      if (typeof value['verifier'] === 'string') record.verifier = value['verifier'];
      if (isRecord(value['discovery'])) record.discovery = value['discovery'] as unknown as OAuthDiscoveryState;
    }
    this.record = record;
    return record;
  }

  private async update(change: (record: StoredRecord) => void): Promise<void> {
    const record = { ...(await this.load()) };
    change(record);
    this.record = record;
    await this.options.store.set(this.key, record);
  }
}
