/**
 * OAuth for one HTTP connection: the provider the transport asks for tokens, the sign-in at connect
 * (bounded, so a server that keeps refusing cannot open the browser in a loop) and the sign-in
 * during the session (a 401, or a 403 insufficient_scope, after connect: one sign-in for all
 * requests waiting, each retried once).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { raceAbort } from '../async';
import type { Logger } from '../logger';
import type { FetchLike } from './limitedFetch';
import { StoredOAuthProvider, type OAuthConnectionOptions } from './oauth';
import { errorMessage } from './types';

/** Sign-ins per connect: a server that keeps refusing fresh tokens must not open the browser in a loop. */
const MAX_AUTHORIZATIONS_PER_CONNECT = 2;
/** A connect that failed at sign-in: cancelled, refused, or still refused after signing in. */
export class SignInError extends Error {}

/** How long a refresh's answer is shared with requests that used the same refresh token. */
const SHARED_REFRESH_MS = 30_000;

/** The refresh token of a token request that uses one (`grant_type=refresh_token`). */
function refreshTokenOf(init: RequestInit | undefined): string | undefined {
  if (init?.method !== 'POST') return undefined;
  const body = init.body instanceof URLSearchParams ? init.body : typeof init.body === 'string' ? new URLSearchParams(init.body) : undefined;
  return body?.get('grant_type') === 'refresh_token' ? (body.get('refresh_token') ?? undefined) : undefined;
}

/** The code-for-token exchange after the browser sign-in. */
const TOKEN_EXCHANGE_TIMEOUT_MS = 60_000;
export const WAITING_FOR_SIGN_IN = 'Waiting for sign-in in the browser…';

/** An HTTP transport that can take the authorization code of a finished sign-in. */
export type AuthorizingTransport = Transport & { finishAuth(authorizationCode: string): Promise<void> };

export interface AuthSessionHost {
  readonly name: string;
  readonly logger: Logger;
  redact(text: string): string;
  /** Shows (message) or clears (undefined) the "waiting for sign-in" state while connecting. */
  showConnecting(message: string | undefined): void;
  /** The transport of the live session, for a sign-in during it. */
  currentTransport(): AuthorizingTransport | undefined;
  isConnected(): boolean;
}

export class AuthSession {
  readonly provider: StoredOAuthProvider | undefined;
  private sessionAbort = new AbortController();
  private sessionSignIn: Promise<boolean> | undefined;
  private sessionSignIns = 0;
  /** Counts finished sign-ins, so a request refused before one finished retries without another. */
  private signInGeneration = 0;

  constructor(
    private readonly host: AuthSessionHost,
    private readonly oauth: OAuthConnectionOptions | undefined,
    serverUrl: string,
  ) {
    this.provider = oauth ? new StoredOAuthProvider(host.name, serverUrl, oauth) : undefined;
  }

  /**
   * `fetch` for the transports: a 401 from the server itself makes the stored discovery stale
   * before the SDK starts its sign-in, so the protected resource metadata is read again and a move
   * to another authorization server is seen (SEP-2352: register with the new one).
   */
  watchUnauthorized(fetch: FetchLike, endpoint: URL): FetchLike {
    const provider = this.provider;
    if (!provider) return fetch;
    const refreshes = new Map<string, Promise<Response>>();
    return async (input, init) => {
      const refreshToken = refreshTokenOf(init);
      if (refreshToken !== undefined) {
        // Requests refused together (a Refresh lists tools, prompts and resources at once) each
        // refresh with the same token. A server that rotates refresh tokens accepts only the first,
        // and the SDK answers the others' invalid_grant by deleting the tokens just saved and asking
        // for a sign-in: one refresh per token, its answer shared.
        let shared = refreshes.get(refreshToken);
        if (!shared) {
          shared = fetch(input, init);
          refreshes.set(refreshToken, shared);
          // Kept a little while for a request that read the old token just before the new one was saved.
          const forget = () => setTimeout(() => refreshes.delete(refreshToken), SHARED_REFRESH_MS).unref?.();
          shared.then(forget, forget);
        }
        return (await shared).clone();
      }
      const response = await fetch(input, init);
      if (response.status === 401) {
        const url = new URL(typeof input === 'string' ? input : input.href);
        if (url.origin === endpoint.origin && url.pathname === endpoint.pathname) await provider.invalidateCredentials('discovery');
      }
      return response;
    };
  }

  /**
   * Runs `attempt` with a fresh transport; when the SDK asked for a sign-in (it called
   * `redirectToAuthorization` and threw `UnauthorizedError`), runs it through the UI, hands the code
   * to the transport and tries again with the new tokens.
   */
  async connectWithSignIn<T>(
    createTransport: () => AuthorizingTransport,
    attempt: (transport: AuthorizingTransport) => Promise<T>,
    beforeSignIn: () => Promise<void>,
    signal: AbortSignal,
  ): Promise<T> {
    for (let round = 0; ; round++) {
      const transport = createTransport();
      try {
        return await attempt(transport);
      } catch (error) {
        const authorizationUrl = this.provider?.takePendingAuthorization();
        if (!this.provider || !authorizationUrl || signal.aborted) throw error;
        if (round >= MAX_AUTHORIZATIONS_PER_CONNECT) throw new SignInError(`The server still refuses access after ${MAX_AUTHORIZATIONS_PER_CONNECT} sign-ins.`, { cause: error });
        await beforeSignIn();
        await this.authorize(transport, authorizationUrl, signal, false);
      }
    }
  }

  private async authorize(transport: AuthorizingTransport, authorizationUrl: URL, signal: AbortSignal, inSession: boolean): Promise<void> {
    const provider = this.provider!;
    const ui = this.oauth!.ui;
    const { name, logger } = this.host;
    if (!inSession) this.host.showConnecting(WAITING_FOR_SIGN_IN);
    logger.info(`[${name}] the server requires sign-in; waiting for sign-in in the browser (${authorizationUrl.origin})`);
    let result;
    try {
      result = await ui.authorize(authorizationUrl, signal, { serverName: name });
    } catch (error) {
      if (signal.aborted) throw new Error('Connection was closed while connecting.', { cause: error });
      throw new SignInError(`Sign-in did not complete: ${errorMessage(error)}`, { cause: error });
    }
    await provider.checkAuthorizationResponse(result);
    if (!inSession) this.host.showConnecting(undefined);
    // The token exchange is bounded: an endpoint that never answers must not hold the connection
    // (and every close, restart or request waiting on it) for ever.
    const exchange = AbortSignal.any([signal, AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS)]);
    try {
      await raceAbort(transport.finishAuth(result.code), exchange);
    } catch (error) {
      if (signal.aborted) throw new Error('Connection was closed while connecting.', { cause: error });
      if (exchange.aborted) throw new SignInError(`Sign-in failed: the authorization server did not answer the token request within ${TOKEN_EXCHANGE_TIMEOUT_MS / 1000} s.`, { cause: error });
      throw new SignInError(`Sign-in failed: ${errorMessage(error)}`, { cause: error });
    }
    this.signInGeneration++;
    logger.info(`[${name}] signed in`);
  }

  /**
   * After a request of a connected session failed: when the server asked for a (new or wider)
   * sign-in meanwhile, runs it once for all requests waiting, and says whether to retry.
   */
  private async signInDuringSession(generationBefore: number): Promise<boolean> {
    if (this.sessionSignIn) return this.sessionSignIn;
    const provider = this.provider;
    const transport = this.host.currentTransport();
    const url = provider?.takePendingAuthorization();
    if (!provider || !url || !transport || !this.host.isConnected()) return false;
    // A sign-in finished after this request was sent: retry with its tokens rather than sign in again.
    if (this.signInGeneration !== generationBefore) return true;
    if (this.sessionSignIns >= MAX_AUTHORIZATIONS_PER_CONNECT) return false;
    this.sessionSignIns++;
    this.sessionSignIn = this.authorize(transport, url, this.sessionAbort.signal, true)
      .then(
        () => true,
        (error: unknown) => {
          this.host.logger.warn(`[${this.host.name}] ${this.host.redact(errorMessage(error))}`);
          return false;
        },
      )
      .finally(() => {
        this.sessionSignIn = undefined;
      });
    return this.sessionSignIn;
  }

  /** Runs a request; when it failed for want of a sign-in that then succeeded, runs it once more. */
  async withSignInRetry<T>(request: () => Promise<T>): Promise<T> {
    const generation = this.signInGeneration;
    try {
      return await request();
    } catch (error) {
      if (!this.provider || !(await this.signInDuringSession(generation))) throw error;
      return request();
    }
  }

  /** Aborts a sign-in started during the session (the connection is going away). */
  endSession(): void {
    this.sessionAbort.abort();
    this.sessionAbort = new AbortController();
  }
}
