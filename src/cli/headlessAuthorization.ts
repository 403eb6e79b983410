/**
 * Sign-in without a browser, for the CLI: requests the authorization URL without following
 * redirects and takes the code from the `Location` of the redirect back to `redirectUrl`. This is
 * what an authorization server that approves without a login page (the conformance suite's, a
 * test server) expects of a non-interactive client.
 */
import type { AuthorizationResult, AuthorizationUi } from '../core/mcp/oauth';
import { guardPrivateTargets } from '../core/mcp/privateTargets';

export const HEADLESS_REDIRECT_URL = 'http://127.0.0.1:33418/oauth/callback';
const MAX_HOPS = 5;

function sameEndpoint(a: URL, b: URL): boolean {
  return a.origin === b.origin && a.pathname === b.pathname;
}

/**
 * With `serverUrl`, the GET goes to a local or private address only when the MCP server is on one
 * too (see core/mcp/privateTargets.ts): the authorization URL is the server's to choose.
 */
export function createHeadlessAuthorizationUi(redirectUrl = HEADLESS_REDIRECT_URL, fetchImpl: typeof fetch = fetch, serverUrl?: URL): AuthorizationUi {
  const redirect = new URL(redirectUrl);
  const get = serverUrl ? guardPrivateTargets(fetchImpl, serverUrl) : fetchImpl;
  return {
    redirectUrl,
    async authorize(authorizationUrl: URL, signal: AbortSignal): Promise<AuthorizationResult> {
      let url = authorizationUrl;
      const ownOrigin = authorizationUrl.origin;
      // Follow the authorization server's own redirects (bounded, same origin only) until it sends us back.
      for (let hop = 0; hop < MAX_HOPS; hop++) {
        if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Refusing to open a ${url.protocol} authorization URL.`);
        const response = await get(url, { redirect: 'manual', signal });
        await response.body?.cancel().catch(() => {});
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) {
          throw new Error(`The authorization server answered HTTP ${response.status} without redirecting back; this sign-in needs a browser.`);
        }
        const next = new URL(location, url);
        if (!sameEndpoint(next, redirect)) {
          // Elsewhere is a login page or another site: a headless client must not wander there with our request.
          if (next.origin !== ownOrigin) throw new Error(`The authorization server redirected to another origin (${next.origin}); this sign-in needs a browser.`);
          url = next;
          continue;
        }
        const error = next.searchParams.get('error');
        if (error) throw new Error(`The authorization server refused: ${error}${next.searchParams.get('error_description') ? ` (${next.searchParams.get('error_description')})` : ''}`);
        const code = next.searchParams.get('code');
        if (!code) throw new Error('The redirect back carries no authorization code.');
        const state = next.searchParams.get('state');
        const iss = next.searchParams.get('iss');
        return { code, ...(state !== null ? { state } : {}), ...(iss !== null ? { iss } : {}) };
      }
      throw new Error(`The authorization server redirected more than ${MAX_HOPS} times.`);
    },
  };
}

/** Pre-registered client credentials the conformance suite passes in MCP_CONFORMANCE_CONTEXT, when it does. */
export function conformanceClientCredentials(env: NodeJS.ProcessEnv): { client_id: string; client_secret?: string } | undefined {
  const text = env['MCP_CONFORMANCE_CONTEXT'];
  if (!text) return undefined;
  try {
    const context = JSON.parse(text) as Record<string, unknown>;
    if (typeof context['client_id'] !== 'string' || typeof context['idp_id_token'] === 'string') return undefined;
    return { client_id: context['client_id'], ...(typeof context['client_secret'] === 'string' ? { client_secret: context['client_secret'] } : {}) };
  } catch {
    return undefined;
  }
}
