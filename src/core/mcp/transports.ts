/**
 * Opens a connection: the transport (stdio, Streamable HTTP, SSE) and the revision. Unless pinned,
 * `server/discover` goes first (stdio: on the process itself; HTTP: as a modern POST) and a server
 * that offers 2026-07-28 is spoken to statelessly; any other answer gets `initialize` (2025-11-25),
 * over Streamable HTTP and then SSE when the endpoint refuses it with a 4xx, as the spec's
 * backwards-compatibility sections say. Every attempt is bounded by the initialize timeout; a
 * sign-in in the browser is not.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import type { HttpServerDefinition, ServerDefinition, StdioServerDefinition } from '../config/serverDefinition';
import type { Logger } from '../logger';
import { DisposableStore, onAbort, toDisposable } from '../lifetime';
import type { AuthSession, AuthorizingTransport } from './authSession';
import { probeServer, requestEnvelope, type DiscoveredServer, type ProbeVerdict } from './discovery';
import { createLimitedFetch } from './limitedFetch';
import type { MessageLimit } from './messageLimit';
import { createModernFetch } from './modernHttp';
import { guardPrivateTargets } from './privateTargets';
import type { StreamAttribution } from './streamAttribution';
import { LEGACY_REVISION, META_LOG_LEVEL, MODERN_REVISION, type ProtocolPin } from './revisions';
import type { ClientSdk } from './sdk';
import type { StdioProcess } from './stdioProcess';
import type { ServerConnectionOptions, TransportKind } from './types';

export class TimeoutError extends Error {}

/** What a 2026-07-28 client needs: the revision, what discovery said, and the envelope it sends. */
export interface ModernSession {
  readonly version: string;
  readonly server: DiscoveredServer;
  readonly capabilities: ClientCapabilities;
  readonly envelope: Record<string, unknown>;
}

export interface Opened {
  readonly transport: TransportKind;
  readonly version: string;
  /** Why the revision was chosen, for the log (e.g. "no answer to server/discover within 5 s"). */
  readonly note?: string;
}

/** What the opener needs from the connection. */
export interface TransportHost {
  readonly name: string;
  readonly definition: ServerDefinition;
  readonly options: ServerConnectionOptions;
  readonly logger: Logger;
  readonly process: StdioProcess;
  readonly maxMessageBytes: MessageLimit;
  /** Notes which tool call's response stream carries each server request (see streamAttribution.ts). */
  readonly streams: StreamAttribution;
  readonly clientInfo: Implementation;
  newAuthSession(serverUrl: string): AuthSession;
  capabilities(modern: boolean): ClientCapabilities;
  /** The `Mcp-Param-*` headers of a `tools/call` (2026-07-28 over HTTP). */
  toolHeaders(toolName: string, args: unknown): Record<string, string>;
  /** The response of the `subscriptions/listen` request ended (2026-07-28 over HTTP). */
  listenStreamEnded(): void;
  /** The transport now in use (closed by `reset`). */
  adopt(transport: Transport): void;
  connectLegacy(transport: Transport, signal: AbortSignal): Promise<string>;
  connectModern(transport: Transport, session: ModernSession): Promise<string>;
  /** A transport error outside a client (during discovery). */
  reportProtocolError(error: Error): void;
  /** Closes what an attempt left (client, transport, process). */
  reset(): Promise<void>;
}

const DEFAULT_DISCOVER_TIMEOUT_MS = 5000;

export function openTransport(host: TransportHost, sdk: ClientSdk, timeoutMs: number, signal: AbortSignal): Promise<Opened> {
  const pin: ProtocolPin = host.definition.protocol ?? host.options.protocol ?? 'auto';
  if (host.definition.type === 'stdio') return openStdio(host, sdk, host.definition, pin, timeoutMs, signal);
  return openHttp(host, sdk, host.definition, pin, timeoutMs, signal);
}

function modernBase(host: TransportHost): Omit<ModernSession, 'version' | 'server'> {
  const capabilities = host.capabilities(true);
  // `logLevel` asks for the server's log messages on each request, as `logging/setLevel` did.
  return { capabilities, envelope: { ...requestEnvelope(host.clientInfo, capabilities), [META_LOG_LEVEL]: 'info' } };
}

function pinnedButLegacy(verdict: Exclude<ProbeVerdict, { kind: 'modern' }>): Error {
  return new Error(`The server is pinned to MCP ${MODERN_REVISION} ("protocol"), but ${verdict.reason}.`);
}

async function openStdio(host: TransportHost, sdk: ClientSdk, definition: StdioServerDefinition, pin: ProtocolPin, timeoutMs: number, signal: AbortSignal): Promise<Opened> {
  let transport = await host.process.createTransport(sdk, definition);
  host.adopt(transport);
  let note: string | undefined;
  if (pin !== LEGACY_REVISION) {
    const base = modernBase(host);
    const discoverTimeoutMs = Math.min(host.options.discoverTimeoutMs ?? DEFAULT_DISCOVER_TIMEOUT_MS, timeoutMs);
    const verdict = await withTimeout(probeServer(transport, { envelope: base.envelope, timeoutMs: discoverTimeoutMs, kind: 'stdio', signal, onError: (error) => host.reportProtocolError(error) }), timeoutMs, signal);
    if (verdict.kind === 'modern') {
      await withTimeout(host.connectModern(transport, { ...base, version: verdict.version, server: verdict.server }), timeoutMs, signal);
      return { transport: 'stdio', version: verdict.version };
    }
    if (pin === MODERN_REVISION) throw pinnedButLegacy(verdict);
    note = verdict.reason;
    host.logger.debug(`[${host.name}] ${verdict.reason}: opening with initialize`);
    if (verdict.kind === 'closed') {
      // Some 2025-era servers exit on any request before initialize: start a fresh one.
      await host.reset();
      transport = await host.process.createTransport(sdk, definition);
      host.adopt(transport);
    }
  }
  const version = await withTimeout(host.connectLegacy(transport, signal), timeoutMs, signal);
  return { transport: 'stdio', version, ...(note ? { note } : {}) };
}

async function openHttp(host: TransportHost, sdk: ClientSdk, definition: HttpServerDefinition, pin: ProtocolPin, timeoutMs: number, signal: AbortSignal): Promise<Opened> {
  const url = new URL(definition.url);
  const requestInit: RequestInit = { headers: { ...definition.headers } };
  const auth = host.newAuthSession(definition.url);
  // OAuth discovery and registration go where the server says: never to a local address unless it is local too.
  const fetch = host.streams.wrap(auth.watchUnauthorized(guardPrivateTargets(createLimitedFetch(host.maxMessageBytes), url), url));
  const common = { requestInit, ...(auth.provider ? { authProvider: auth.provider } : {}) };
  const reset = () => host.reset();
  const legacyAttempt = (transport: AuthorizingTransport) => {
    host.adopt(transport);
    return withTimeout(host.connectLegacy(transport, signal), timeoutMs, signal);
  };
  if (definition.type === 'sse') {
    if (pin === MODERN_REVISION) throw new Error(`The server is pinned to MCP ${MODERN_REVISION} ("protocol"), but its type is "sse", a 2025-era transport; use "http".`);
    const version = await auth.connectWithSignIn(() => new sdk.SSEClientTransport(url, { ...common, fetch }), legacyAttempt, reset, signal);
    return { transport: 'sse', version };
  }
  let note: string | undefined;
  if (pin !== LEGACY_REVISION) {
    const base = modernBase(host);
    const modernFetch = createModernFetch(fetch, MODERN_REVISION, {
      toolHeaders: (toolName, args) => host.toolHeaders(toolName, args),
      onListenStreamEnded: () => host.listenStreamEnded(),
    });
    const verdict = await auth.connectWithSignIn(
      () => new sdk.StreamableHTTPClientTransport(url, { ...common, fetch: modernFetch.fetch }),
      async (transport) => {
        host.adopt(transport);
        const found = await withTimeout(
          probeServer(transport, {
            envelope: base.envelope,
            timeoutMs,
            kind: 'http',
            signal,
            onError: (error) => host.reportProtocolError(error),
            refusedProbeError: modernFetch.refusedProbeError,
            httpStatus: (error) => (error instanceof sdk.StreamableHTTPError ? error.code : undefined),
          }),
          timeoutMs,
          signal,
        );
        if (found.kind === 'modern') await withTimeout(host.connectModern(transport, { ...base, version: found.version, server: found.server }), timeoutMs, signal);
        return found;
      },
      reset,
      signal,
    );
    if (verdict.kind === 'modern') return { transport: 'streamableHttp', version: verdict.version };
    if (pin === MODERN_REVISION) throw pinnedButLegacy(verdict);
    note = verdict.reason;
    host.logger.debug(`[${host.name}] ${verdict.reason}: opening with initialize`);
    await host.reset();
  }
  try {
    const version = await auth.connectWithSignIn(() => new sdk.StreamableHTTPClientTransport(url, { ...common, fetch }), legacyAttempt, reset, signal);
    return { transport: 'streamableHttp', version, ...(note ? { note } : {}) };
  } catch (error) {
    const code = error instanceof sdk.StreamableHTTPError ? error.code : undefined;
    if (signal.aborted || code === undefined || code < 400 || code >= 500 || code === 401 || code === 403) throw error;
    host.logger.info(`[${host.name}] Streamable HTTP refused (HTTP ${code}); trying the SSE transport`);
    await host.reset();
    const version = await auth.connectWithSignIn(() => new sdk.SSEClientTransport(url, { ...common, fetch }), legacyAttempt, reset, signal);
    return { transport: 'sse', version, ...(note ? { note } : {}) };
  }
}

/** Bounds one attempt; a closed connection ends it at once. */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number, signal: AbortSignal): Promise<T> {
  // The attempt's lifetime: its timer and its listener on the connect's signal end with it.
  const attempt = new DisposableStore();
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError()), timeoutMs);
    attempt.add(toDisposable(() => clearTimeout(timer)));
  });
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new Error('Connection was closed while connecting.'));
    else attempt.add(onAbort(signal, () => reject(new Error('Connection was closed while connecting.'))));
  });
  // Whichever loses the race must not surface as an unhandled rejection.
  work.catch(() => {});
  timeout.catch(() => {});
  aborted.catch(() => {});
  return Promise.race([work, timeout, aborted]).finally(() => attempt.dispose());
}
