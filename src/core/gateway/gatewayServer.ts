/**
 * The gateway: an MCP server on 127.0.0.1 (Streamable HTTP, one session per caller) offering the
 * tools, prompts and resources of the exposed servers. Every request must name a loopback `Host`,
 * carry no browser `Origin`, and bear the token; only then is the SDK loaded (on the first one).
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Emitter, type Disposable, type Event } from '../events';
import { DisposableStore } from '../lifetime';
import type { Logger } from '../logger';
import type { ServerStatus } from '../mcp/connectionManager';
import type { CallLimits } from './callLimiter';
import { GatewayCatalog, type GatewayBackend } from './catalog';
import { GatewaySession } from './gatewaySession';
import { BodyTooLargeError, readBody, sendJsonError, toWebRequest, writeWebResponse } from './httpAdapter';
import { loadServerSdk, type ServerSdk } from './sdk';
import { hasValidBearer, isBrowserRequest, isLoopbackHost } from './security';
import { PRODUCT_VERSION } from '../version';

export const GATEWAY_PATH = '/mcp';

export interface GatewayLimits extends CallLimits {
  /** Sessions kept at once; beyond it the least recently used idle one is closed. */
  readonly maxSessions: number;
  readonly maxBodyBytes: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimits = { maxConcurrent: 8, maxQueued: 64, maxSessions: 32, maxBodyBytes: 4 * 1024 * 1024 };

export interface GatewayServerOptions {
  readonly backend: GatewayBackend;
  /** Whether a server is offered (see exposure.ts); the gateway adds its own port to the check. */
  readonly isExposed: (status: ServerStatus, gatewayPort: number | undefined) => boolean;
  /** The current token of other clients (read per request, so a rotation applies at once). */
  readonly token: () => string;
  /**
   * The token given only to VS Code's own MCP client (never shown): a caller bearing it is "VS Code
   * agent", and rotating the other clients' token leaves VS Code connected.
   */
  readonly vscodeToken?: () => string;
  readonly logger: Logger;
  /** The session's one redaction (SecretRegistry.redact): every error text to a caller goes through it. */
  readonly redact?: (text: string) => string;
  readonly serverInfo?: { readonly name: string; readonly version: string };
  readonly limits?: Partial<GatewayLimits>;
  /** How long list changes are gathered before callers are told (default 100 ms). */
  readonly listChangeDelayMs?: number;
  readonly loadSdk?: () => Promise<ServerSdk>;
  /** Other routes on the same listener (the OpenAI-compatible endpoint, gateway/openai), after the Host and Origin checks. */
  readonly routes?: GatewayRoutes;
}

export interface GatewayRoutes {
  handles(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>;
}

export interface GatewayCallerStatus {
  readonly id: string;
  readonly name: string;
  readonly inFlight: number;
  readonly queued: number;
  readonly peakInFlight: number;
  readonly connectedAt: number;
  /** Authenticated by VS Code's own token (its MCP client), not a client's claim. */
  readonly fromVsCode: boolean;
}

export interface GatewayStatus {
  readonly port: number | undefined;
  readonly url: string | undefined;
  readonly callers: readonly GatewayCallerStatus[];
  readonly inFlight: number;
  readonly exposedServers: readonly string[];
}

/**
 * How the card names a caller. Only the holder of VS Code's token is "VS Code agent"; any other name
 * is the client's own claim, so it is always shown quoted, whatever its spelling; one that reads like
 * VS Code once separators and look-alike forms are folded away says it is not VS Code's client.
 */
export function callerLabel(fromVsCode: boolean, clientName: string | undefined): string {
  if (fromVsCode) return 'VS Code agent via the gateway';
  // Full-width letters and odd spaces (no-break, doubled) are folded first; quotes inside would blur where the claim ends.
  const name = (clientName ?? '').normalize('NFKC').replace(/[\s\p{Z}]+/gu, ' ').replace(/"/g, "'").trim();
  if (!name) return 'An MCP client via the gateway';
  const lettersOnly = name.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();
  if (lettersOnly.includes('vscode') || lettersOnly.includes('visualstudio')) return `"${name}" (not VS Code's own client) via the gateway`;
  return `"${name}" via the gateway`;
}

export class GatewayServer implements Disposable {
  private http: HttpServer | undefined;
  private listeningPort: number | undefined;
  private readonly sessions = new Map<string, GatewaySession>();
  /** Sessions whose `initialize` is being answered (no id yet). */
  private readonly pending = new Set<GatewaySession>();
  private readonly catalog: GatewayCatalog;
  private readonly limits: GatewayLimits;
  private readonly changeEmitter = new Emitter<void>();
  private readonly subscriptions = new DisposableStore();
  private fingerprints = { tools: '', prompts: '', resources: '' };
  private listTimer: ReturnType<typeof setTimeout> | undefined;

  /** Callers came or went, or calls started or ended. */
  readonly onDidChangeStatus: Event<void> = this.changeEmitter.event;

  constructor(private readonly options: GatewayServerOptions) {
    this.limits = { ...DEFAULT_GATEWAY_LIMITS, ...options.limits };
    this.catalog = new GatewayCatalog(options.backend, (status) => options.isExposed(status, this.listeningPort));
    const changed = () => this.scheduleListCheck();
    this.subscriptions.add(this.catalog);
    for (const event of [options.backend.onDidChangeLists, options.backend.onDidChangeStatus, options.backend.onDidChangeServers]) this.subscriptions.add(event(changed));
  }

  get port(): number | undefined {
    return this.listeningPort;
  }

  get url(): string | undefined {
    return this.listeningPort === undefined ? undefined : `http://127.0.0.1:${this.listeningPort}${GATEWAY_PATH}`;
  }

  /** Listens on 127.0.0.1 at `port` (0: any free port). When `port` is taken and `fallbackToFree`, takes a free one. */
  async start(port: number, fallbackToFree = false): Promise<number> {
    if (this.http) return this.listeningPort!;
    const listen = (p: number) =>
      new Promise<HttpServer>((resolve, reject) => {
        const server = createServer((req, res) => void this.handle(req, res));
        server.once('error', reject);
        server.listen(p, '127.0.0.1', () => {
          server.off('error', reject);
          resolve(server);
        });
      });
    try {
      this.http = await listen(port);
    } catch (error) {
      if (!fallbackToFree || port === 0 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      this.options.logger.warn(`Gateway: port ${port} is in use; using a free port instead.`);
      this.http = await listen(0);
    }
    this.http.on('error', (error) => this.options.logger.error(`Gateway: ${error.message}`));
    this.listeningPort = (this.http.address() as AddressInfo).port;
    // What is exposed depends on the port (a server pointing at the gateway itself is not).
    this.catalog.invalidate();
    this.fingerprints = GatewayCatalog.fingerprints(this.catalog.snapshot());
    this.options.logger.info(`Gateway listening on ${this.url}`);
    this.changeEmitter.fire();
    return this.listeningPort;
  }

  status(): GatewayStatus {
    const callers = [...this.sessions.values()].map((s) => ({
      id: s.sessionId ?? '',
      name: s.callerName,
      inFlight: s.limiter.inFlight,
      queued: s.limiter.queued,
      peakInFlight: s.limiter.peak,
      connectedAt: s.connectedAt,
      fromVsCode: s.fromVsCode,
    }));
    return {
      port: this.listeningPort,
      url: this.url,
      callers,
      inFlight: callers.reduce((n, c) => n + c.inFlight, 0),
      exposedServers: this.catalog.exposedServers().map((s) => s.name),
    };
  }

  /** The gateway names of the tools offered now. */
  toolNames(): string[] {
    return [...this.catalog.snapshot().tools.keys()];
  }

  /** Re-reads which servers are exposed (e.g. after a settings change) and tells callers what changed. */
  refresh(): void {
    this.catalog.invalidate();
    this.scheduleListCheck();
  }

  /** Ends every session, or only those of other clients (after their token was rotated: they must come back with the new one). */
  async closeSessions(which: 'all' | 'otherClients' = 'all'): Promise<void> {
    const sessions = [...this.sessions.values(), ...this.pending].filter((s) => which === 'all' || !s.fromVsCode);
    await Promise.allSettled(sessions.map((s) => s.close()));
  }

  private scheduleListCheck(): void {
    if (this.listTimer || this.listeningPort === undefined) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      const next = GatewayCatalog.fingerprints(this.catalog.snapshot());
      const which = { tools: next.tools !== this.fingerprints.tools, prompts: next.prompts !== this.fingerprints.prompts, resources: next.resources !== this.fingerprints.resources };
      this.fingerprints = next;
      if (which.tools || which.prompts || which.resources) {
        for (const session of this.sessions.values()) void session.notifyListsChanged(which);
        this.changeEmitter.fire();
      }
    }, this.options.listChangeDelayMs ?? 100);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const port = this.listeningPort ?? 0;
      // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
      if (!isLoopbackHost(req.headers.host, port)) return sendJsonError(res, 403, 'Forbidden: the gateway answers only requests addressed to 127.0.0.1 or localhost.');
      if (isBrowserRequest(req.headers.origin)) return sendJsonError(res, 403, 'Forbidden: the gateway does not answer browsers.');
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (this.options.routes?.handles(path)) return await this.options.routes.handle(req, res, path);
      if (path !== GATEWAY_PATH) return sendJsonError(res, 404, `Not found: the MCP endpoint is ${GATEWAY_PATH}.`);
      // Both compared every time, in constant time each.
      const fromOtherClient = hasValidBearer(req.headers.authorization, this.options.token());
      const fromVsCode = this.options.vscodeToken ? hasValidBearer(req.headers.authorization, this.options.vscodeToken()) : false;
      if (!fromOtherClient && !fromVsCode) {
        return sendJsonError(res, 401, 'Unauthorized: a valid gateway token is required (Authorization: Bearer <token>). Get it with "MCP Sampling: Connect Another Client…".', {
          'www-authenticate': 'Bearer realm="mcp-sampling-gateway"',
        });
      }
      await this.handleMcp(req, res, port, fromVsCode);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJsonError(res, 413, error.message);
      this.options.logger.error(`Gateway: ${error instanceof Error ? error.message : String(error)}`);
      sendJsonError(res, 500, 'Internal gateway error.');
    }
  }

  private async handleMcp(req: IncomingMessage, res: ServerResponse, port: number, fromVsCode: boolean): Promise<void> {
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req, this.limits.maxBodyBytes) : undefined;
    let parsed: unknown;
    if (body) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return sendJsonError(res, 400, 'Parse error: the body is not JSON.');
      }
    }
    const sdk = await (this.options.loadSdk ?? loadServerSdk)();
    const sessionHeader = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(sessionHeader) ? sessionHeader[0] : sessionHeader;
    let session = sessionId ? this.sessions.get(sessionId) : undefined;
    if (sessionId && !session) return sendJsonError(res, 404, 'Session not found: initialize again.');
    // A session stays with the token that opened it.
    if (session && session.fromVsCode !== fromVsCode) return sendJsonError(res, 404, 'Session not found: initialize again.');
    let created = false;
    if (!session) {
      const initialize = method === 'POST' && (Array.isArray(parsed) ? parsed.some((m) => sdk.types.isInitializeRequest(m)) : sdk.types.isInitializeRequest(parsed));
      if (!initialize) return sendJsonError(res, 400, 'Bad request: send initialize first, or the Mcp-Session-Id of your session.');
      if (!this.makeRoomForSession()) return sendJsonError(res, 503, 'Too many gateway sessions are busy; try again later.');
      session = this.newSession(sdk, fromVsCode);
      created = true;
      await session.connect();
    }
    session.lastActivity = Date.now();
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const response = await session.transport.handleRequest(toWebRequest(req, port, body, abort.signal), parsed !== undefined ? { parsedBody: parsed } : {});
    // The transport refused the initialize (a wrong Accept or content type, a bad message): the
    // session never got an id, and must not hold a place among maxSessions until its timeout.
    if (created && session.sessionId === undefined) void session.close();
    await writeWebResponse(response, res);
  }

  private newSession(sdk: ServerSdk, fromVsCode: boolean): GatewaySession {
    const session: GatewaySession = new GatewaySession({
      sdk,
      fromVsCode,
      backend: this.options.backend,
      catalog: this.catalog,
      logger: this.options.logger,
      limits: this.limits,
      ...(this.options.redact ? { redact: this.options.redact } : {}),
      serverInfo: this.options.serverInfo ?? { name: 'mcp-sampling-gateway', version: PRODUCT_VERSION },
      callerLabel: (clientName) => callerLabel(fromVsCode, clientName),
      onDidChange: () => this.changeEmitter.fire(),
      onInitialized: (s) => {
        this.pending.delete(s);
        if (s.sessionId) this.sessions.set(s.sessionId, s);
      },
      onClosed: (s) => {
        this.pending.delete(s);
        if (s.sessionId && this.sessions.get(s.sessionId) === s) this.sessions.delete(s.sessionId);
        this.options.logger.info(`Gateway: ${s.callerName} disconnected`);
        this.changeEmitter.fire();
      },
    });
    this.pending.add(session);
    // A session whose initialize never completes must not stay pending forever.
    setTimeout(() => {
      if (this.pending.has(session)) void session.close();
    }, 30_000).unref();
    return session;
  }

  /** Closes the least recently used idle session when full; false when every session is busy. */
  private makeRoomForSession(): boolean {
    if (this.sessions.size + this.pending.size < this.limits.maxSessions) return true;
    const idle = [...this.sessions.values()].filter((s) => s.limiter.inFlight === 0 && s.limiter.queued === 0).sort((a, b) => a.lastActivity - b.lastActivity);
    const oldest = idle[0];
    if (!oldest) return false;
    void oldest.close();
    return true;
  }

  async stop(): Promise<void> {
    if (this.listTimer) clearTimeout(this.listTimer);
    this.listTimer = undefined;
    await this.closeSessions();
    const http = this.http;
    this.http = undefined;
    this.listeningPort = undefined;
    this.catalog.invalidate();
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.subscriptions.dispose();
    void this.stop().finally(() => this.changeEmitter.dispose());
  }
}
