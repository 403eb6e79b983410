/**
 * A real OAuth-protected MCP server on loopback for the OAuth tests: protected resource metadata
 * (RFC 9728), authorization server metadata (RFC 8414), dynamic registration, an authorization
 * endpoint that approves at once (or refuses) by redirecting, a token endpoint with PKCE S256 and
 * refresh tokens, and an SDK McpServer behind a bearer check.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface OAuthTestServer {
  readonly mcpUrl: string;
  readonly counts: { authorizations: number; registrations: number; codeExchanges: number; refreshes: number; refusedRefreshes: number; mcpUnauthorized: number };
  /** Every access token issued, to check none reaches a log. */
  readonly issuedTokens: string[];
  /** Makes every access token issued so far invalid (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Makes the authorization endpoint redirect back with `error=access_denied`. */
  denyAuthorization: boolean;
  /** The token endpoint takes the code exchange and never answers it. */
  stallCodeExchange: boolean;
  /** Lets `initialize` and notifications through without a token (sign-in is then asked for mid-session). */
  openInitialize: boolean;
  /** The `issuer` its metadata names (default: its own URL, as RFC 8414 requires). */
  metadataIssuer: string | undefined;
  /** Its metadata says it sends `iss` in the redirect (RFC 9207). */
  advertiseIss: boolean;
  /** The `iss` it puts in the redirect (default: none). */
  redirectIss: string | undefined;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startOAuthTestServer(): Promise<OAuthTestServer> {
  const clients = new Map<string, { redirect_uris: string[] }>();
  const codes = new Map<string, { clientId: string; challenge: string; redirectUri: string }>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Map<string, string>();
  const counts = { authorizations: 0, registrations: 0, codeExchanges: 0, refreshes: 0, refusedRefreshes: 0, mcpUnauthorized: 0 };
  const issuedTokens: string[] = [];
  let base = '';

  const issueTokens = (clientId: string) => {
    const access = `at-${randomUUID()}`;
    const refresh = `rt-${randomUUID()}`;
    accessTokens.add(access);
    refreshTokens.set(refresh, clientId);
    issuedTokens.push(access, refresh);
    return { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: refresh };
  };

  const handleMcp = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    let body: unknown;
    let open = false;
    if (server.openInitialize) {
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      body = JSON.parse(await readBody(req)) as unknown;
      const method = (body as { method?: unknown }).method;
      open = method === 'initialize' || (typeof method === 'string' && method.startsWith('notifications/'));
    }
    if (!open && !accessTokens.has(token)) {
      counts.mcpUnauthorized++;
      res.writeHead(401, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` }).end();
      return;
    }
    const mcp = new McpServer({ name: 'oauth-test-server', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Says who is signed in' }, () => ({ content: [{ type: 'text', text: 'signed in' }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/mcp') return handleMcp(req, res);
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp') {
      return json(res, 200, { resource: `${base}/mcp`, authorization_servers: [base] });
    }
    if (url.pathname === '/.well-known/oauth-authorization-server') {
      return json(res, 200, {
        issuer: server.metadataIssuer ?? base,
        ...(server.advertiseIss ? { authorization_response_iss_parameter_supported: true } : {}),
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        registration_endpoint: `${base}/register`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (url.pathname === '/register' && req.method === 'POST') {
      const metadata = JSON.parse(await readBody(req)) as { redirect_uris?: string[] };
      if (!Array.isArray(metadata.redirect_uris)) return json(res, 400, { error: 'invalid_client_metadata' });
      counts.registrations++;
      const clientId = `client-${randomUUID()}`;
      clients.set(clientId, { redirect_uris: metadata.redirect_uris });
      return json(res, 201, { ...metadata, client_id: clientId, token_endpoint_auth_method: 'none' });
    }
    if (url.pathname === '/authorize') {
      counts.authorizations++;
      const clientId = url.searchParams.get('client_id') ?? '';
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const challenge = url.searchParams.get('code_challenge') ?? '';
      const client = clients.get(clientId);
      if (!client || !client.redirect_uris.includes(redirectUri) || url.searchParams.get('code_challenge_method') !== 'S256') return json(res, 400, { error: 'invalid_request' });
      const back = new URL(redirectUri);
      const state = url.searchParams.get('state');
      if (state !== null) back.searchParams.set('state', state);
      if (server.redirectIss !== undefined) back.searchParams.set('iss', server.redirectIss);
      if (server.denyAuthorization) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = `code-${randomUUID()}`;
        codes.set(code, { clientId, challenge, redirectUri });
        back.searchParams.set('code', code);
      }
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const clientId = form.get('client_id') ?? '';
      if (form.get('grant_type') === 'authorization_code') {
        if (server.stallCodeExchange) return;
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!code || code.clientId !== clientId || code.challenge !== challenge || code.redirectUri !== form.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant' });
        counts.codeExchanges++;
        return json(res, 200, issueTokens(clientId));
      }
      if (form.get('grant_type') === 'refresh_token') {
        const refresh = form.get('refresh_token') ?? '';
        if (refreshTokens.get(refresh) !== clientId) {
          counts.refusedRefreshes++;
          return json(res, 400, { error: 'invalid_grant' });
        }
        refreshTokens.delete(refresh);
        counts.refreshes++;
        return json(res, 200, issueTokens(clientId));
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    res.writeHead(404).end();
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

  const server: OAuthTestServer = {
    mcpUrl: `${base}/mcp`,
    counts,
    issuedTokens,
    denyAuthorization: false,
    stallCodeExchange: false,
    openInitialize: false,
    metadataIssuer: undefined,
    advertiseIss: false,
    redirectIss: undefined,
    expireAccessTokens: () => accessTokens.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
  return server;
}
