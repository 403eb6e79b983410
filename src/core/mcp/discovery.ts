/**
 * Which era a server speaks, found the 2026-07-28 way: `server/discover` first, on the transport
 * itself, before any client adopts it. A `DiscoverResult` offering 2026-07-28 (or a recognized
 * modern error) means modern; any other error, or silence on stdio, means a 2025-era server, which
 * then gets `initialize`. On HTTP silence is an outage, not an answer.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation, JSONRPCMessage, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import {
  LEGACY_REVISION,
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_PROTOCOL_VERSION,
  META_SERVER_INFO,
  MODERN_ERROR_CODES,
  MODERN_REVISION,
  UNSUPPORTED_PROTOCOL_VERSION,
} from './revisions';
import { isRecord } from '../../shared/isRecord';

export interface DiscoveredServer {
  readonly supportedVersions: readonly string[];
  readonly capabilities: ServerCapabilities;
  readonly serverInfo?: Implementation;
  readonly instructions?: string;
}

export type ProbeVerdict =
  | { readonly kind: 'modern'; readonly version: string; readonly server: DiscoveredServer }
  | { readonly kind: 'legacy'; readonly reason: string }
  /** The process exited (or the stream closed) on the probe: a 2025-era server that ends on unknown requests. */
  | { readonly kind: 'closed'; readonly reason: string };

/** A JSON-RPC error as the server sent it (HTTP: read from a 4xx body). */
export interface WireError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/** Thrown when the server is modern but cannot be spoken with (no common revision, a refused probe). */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';
}

const LEGACY_VERSIONS: readonly string[] = [LEGACY_REVISION, '2025-06-18', '2025-03-26', '2024-11-05'];
const PROBE_ID = 'mcp-sampling-client:discover';

/** The per-request `_meta` envelope of a 2026-07-28 request. */
export function requestEnvelope(clientInfo: Implementation, capabilities: ClientCapabilities, version = MODERN_REVISION): Record<string, unknown> {
  return { [META_PROTOCOL_VERSION]: version, [META_CLIENT_INFO]: clientInfo, [META_CLIENT_CAPABILITIES]: capabilities };
}

/** `message` with the envelope merged into `params._meta` (the envelope's keys win; others, like `progressToken`, stay). */
export function withEnvelope<T extends { method: string; params?: unknown }>(message: T, envelope: Record<string, unknown>): T {
  const params = isRecord(message.params) ? message.params : {};
  const meta = isRecord(params._meta) ? params._meta : {};
  return { ...message, params: { ...params, _meta: { ...meta, ...envelope } } };
}

/** Reads a `DiscoverResult`; throws DiscoveryError when it is not one. */
export function parseDiscoverResult(result: unknown): DiscoveredServer {
  if (!isRecord(result)) throw new DiscoveryError('server/discover answered with something that is not an object');
  const versions = result.supportedVersions;
  if (!Array.isArray(versions) || versions.length === 0 || versions.length > 100 || !versions.every((v) => typeof v === 'string' && v.length <= 64)) {
    throw new DiscoveryError('server/discover answered without a valid supportedVersions list');
  }
  const capabilities = isRecord(result.capabilities) ? (result.capabilities as ServerCapabilities) : {};
  const meta = isRecord(result._meta) ? result._meta : {};
  const info = meta[META_SERVER_INFO] ?? result.serverInfo;
  const serverInfo =
    isRecord(info) && typeof info.name === 'string' && typeof info.version === 'string' ? { name: info.name.slice(0, 200), version: info.version.slice(0, 100) } : undefined;
  const instructions = typeof result.instructions === 'string' ? result.instructions.slice(0, 10_000) : undefined;
  return { supportedVersions: versions as string[], capabilities, ...(serverInfo ? { serverInfo } : {}), ...(instructions !== undefined ? { instructions } : {}) };
}

/** The verdict from a `server/discover` result. */
export function verdictFromResult(result: unknown): ProbeVerdict {
  let server: DiscoveredServer;
  try {
    server = parseDiscoverResult(result);
  } catch (error) {
    // Not modern evidence: some 2025-era servers answer any unknown method with an empty result.
    return { kind: 'legacy', reason: (error as Error).message };
  }
  if (server.supportedVersions.includes(MODERN_REVISION)) return { kind: 'modern', version: MODERN_REVISION, server };
  const legacy = server.supportedVersions.find((v) => LEGACY_VERSIONS.includes(v));
  if (legacy) return { kind: 'legacy', reason: `the server offers ${server.supportedVersions.join(', ')}` };
  throw new DiscoveryError(`The server speaks only ${server.supportedVersions.slice(0, 5).join(', ')}; this client speaks ${MODERN_REVISION} and ${LEGACY_REVISION}.`);
}

/** A refusal that names our revision as supported: ask once more (SEP-2575's retry with a supported version). */
export type ProbeAnswer = ProbeVerdict | { readonly kind: 'retry'; readonly reason: string };

/** The verdict from an error answer to `server/discover`. */
export function verdictFromError(error: WireError): ProbeAnswer {
  if (!MODERN_ERROR_CODES.includes(error.code)) return { kind: 'legacy', reason: `server/discover failed with ${error.code} (${error.message.slice(0, 120)})` };
  if (error.code === UNSUPPORTED_PROTOCOL_VERSION) {
    const supported = isRecord(error.data) && Array.isArray(error.data.supported) ? error.data.supported.filter((v): v is string => typeof v === 'string').slice(0, 100) : [];
    if (supported.includes(MODERN_REVISION)) return { kind: 'retry', reason: `the server refused ${MODERN_REVISION} (-32022) but lists it as supported` };
    if (supported.some((v) => LEGACY_VERSIONS.includes(v))) return { kind: 'legacy', reason: `the server offers ${supported.join(', ')}` };
    throw new DiscoveryError(`The server does not speak ${MODERN_REVISION}${supported.length ? `; it offers ${supported.slice(0, 5).join(', ')}` : ''}.`);
  }
  throw new DiscoveryError(`The server refused server/discover: ${error.message.slice(0, 200)} (${error.code}).`);
}

/** Reads a JSON-RPC error out of an HTTP error body, when it holds one. */
export function wireErrorFromBody(body: string): WireError | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = isRecord(parsed) ? parsed.error : undefined;
    if (isRecord(error) && typeof error.code === 'number' && Number.isInteger(error.code)) {
      return { code: error.code, message: typeof error.message === 'string' ? error.message : '', ...(error.data !== undefined ? { data: error.data } : {}) };
    }
  } catch {}
  return undefined;
}

export interface ProbeOptions {
  readonly envelope: Record<string, unknown>;
  readonly timeoutMs: number;
  /** stdio: silence means a 2025-era server. http: silence is an outage (the probe rejects). */
  readonly kind: 'stdio' | 'http';
  readonly signal: AbortSignal;
  /** Transport errors during the probe (a non-JSON line on stdout, …). */
  readonly onError?: (error: Error) => void;
  /** HTTP: the JSON-RPC error in the body of the last refused probe (recorded by the modern fetch). */
  readonly refusedProbeError?: () => WireError | undefined;
  /** HTTP: the status of a refused probe, from the SDK's error (undefined for other failures). */
  readonly httpStatus?: (error: unknown) => number | undefined;
}

/**
 * Starts `transport` and asks `server/discover`. Afterwards the transport is started and free: its
 * handlers are cleared and `start` resolves at once, so a client can adopt it.
 */
export async function probeServer(transport: Transport, options: ProbeOptions): Promise<ProbeVerdict> {
  makeStartIdempotent(transport);
  await transport.start();
  const first = await askDiscover(transport, options, PROBE_ID);
  if (first.kind !== 'retry') return first;
  // Once: a server that refuses again what it says it supports is not negotiating.
  const second = await askDiscover(transport, options, `${PROBE_ID}:retry`);
  if (second.kind === 'retry') throw new DiscoveryError(`The server refused ${MODERN_REVISION} twice while listing it as supported.`);
  return second;
}

/** One `server/discover` on a started transport; leaves the transport's handlers cleared. */
async function askDiscover(transport: Transport, options: ProbeOptions, id: string): Promise<ProbeAnswer> {
  let settle!: (outcome: { message?: JSONRPCMessage; closed?: boolean; timeout?: boolean }) => void;
  const outcome = new Promise<{ message?: JSONRPCMessage; closed?: boolean; timeout?: boolean }>((resolve) => (settle = resolve));
  transport.onmessage = (message) => {
    if ('id' in message && message.id === id && ('result' in message || 'error' in message)) settle({ message });
  };
  transport.onclose = () => settle({ closed: true });
  transport.onerror = (error) => options.onError?.(error);
  const timer = setTimeout(() => settle({ timeout: true }), options.timeoutMs);
  const onAbort = () => settle({ closed: true });
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // A send that never completes (a dead pipe waiting for drain) must not hold the probe: race it.
    const sendFailure = transport
      .send({ jsonrpc: '2.0', id, method: 'server/discover', params: { _meta: options.envelope } })
      .then(
        () => new Promise<never>(() => {}),
        (error: unknown) => ({ sendError: error }),
      );
    const first = await Promise.race([outcome, sendFailure]);
    if ('sendError' in first) {
      const error = first.sendError;
      if (options.kind === 'stdio') return { kind: 'closed', reason: 'the server closed its input before server/discover' };
      const status = options.httpStatus?.(error);
      if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403) {
        const wire = options.refusedProbeError?.();
        return wire ? verdictFromError(wire) : { kind: 'legacy', reason: `server/discover was refused with HTTP ${status}` };
      }
      throw error;
    }
    const result = first;
    if (options.signal.aborted) throw new Error('Connection was closed while connecting.');
    if (result.timeout) {
      if (options.kind === 'stdio') return { kind: 'legacy', reason: `no answer to server/discover within ${Math.round(options.timeoutMs / 1000)} s` };
      throw new DiscoveryError(`The server did not answer server/discover within ${Math.round(options.timeoutMs / 1000)} s.`);
    }
    if (result.closed || !result.message) return { kind: 'closed', reason: 'the server closed the connection on server/discover' };
    const message = result.message as { result?: unknown; error?: unknown };
    if (message.error !== undefined) {
      const error = message.error as { code?: unknown; message?: unknown; data?: unknown };
      return verdictFromError({ code: typeof error.code === 'number' ? error.code : 0, message: typeof error.message === 'string' ? error.message : '', data: error.data });
    }
    return verdictFromResult(message.result);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    transport.onmessage = undefined;
    transport.onclose = undefined;
    transport.onerror = undefined;
  }
}

const IDEMPOTENT = Symbol('startOnce');

/** A transport that may be started twice (by the probe, then by the client adopting it). */
export function makeStartIdempotent(transport: Transport): void {
  const marked = transport as Transport & { [IDEMPOTENT]?: true };
  if (marked[IDEMPOTENT]) return;
  const start = transport.start.bind(transport);
  let started: Promise<void> | undefined;
  transport.start = () => (started ??= start());
  marked[IDEMPOTENT] = true;
}
