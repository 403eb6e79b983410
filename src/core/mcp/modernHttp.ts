/**
 * What Streamable HTTP needs at 2026-07-28 beyond the SDK v1 transport, as a `fetch` the transport
 * uses: the request metadata headers on every POST (`MCP-Protocol-Version`, `Mcp-Method`,
 * `Mcp-Name`, `Mcp-Param-*` from the tool's `x-mcp-header` marks; Base64 sentinel when a value is
 * not plain ASCII), cancellation by closing the request's own response stream (the SDK would POST
 * `notifications/cancelled`, which this revision does not define on HTTP), and the JSON-RPC error in
 * the body of a refused `server/discover`.
 */
import { MODERN_REVISION } from './revisions';
import type { WireError } from './discovery';
import { wireErrorFromBody } from './discovery';
import { encodeHeaderValue } from './toolHeaders';
import { isRecord } from '../../shared/isRecord';

type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface ModernFetch {
  readonly fetch: FetchLike;
  /** The JSON-RPC error of the last `server/discover` refused with a 4xx, when its body held one. */
  refusedProbeError(): WireError | undefined;
  /** Requests whose response has not ended yet (each can still be cancelled by closing its stream). */
  openRequests(): number;
}

/** Requests whose response stream can still be closed (cancelled); bounded, oldest forgotten first. */
const MAX_TRACKED_REQUESTS = 10_000;
const MAX_ERROR_BODY = 64 * 1024;

export interface ModernFetchOptions {
  /** The `Mcp-Param-*` headers of a `tools/call` (SEP-2243), from the tool's `x-mcp-header` marks. */
  readonly toolHeaders?: (toolName: string, args: unknown) => Record<string, string>;
  /**
   * The response of a `subscriptions/listen` request has ended. A server or proxy can close the
   * stream without its result, and the SDK then leaves the request waiting for ever.
   */
  readonly onListenStreamEnded?: () => void;
}

export function createModernFetch(base: FetchLike, version = MODERN_REVISION, options: ModernFetchOptions = {}): ModernFetch {
  const streams = new Map<string | number, AbortController>();
  let refused: WireError | undefined;
  const fetch: FetchLike = async (input, init) => {
    if (init?.method !== 'POST' || typeof init.body !== 'string') return base(input, init);
    let message: unknown;
    try {
      message = JSON.parse(init.body);
    } catch {
      return base(input, init);
    }
    if (!isRecord(message) || typeof message.method !== 'string') return base(input, init);
    const params = isRecord(message.params) ? message.params : {};
    if (message.method === 'notifications/cancelled') {
      // Closing the request's response stream is the cancellation on this transport.
      const id = params.requestId;
      const stream = typeof id === 'string' || typeof id === 'number' ? streams.get(id) : undefined;
      if (stream) {
        streams.delete(id as string | number);
        stream.abort(new Error(typeof params.reason === 'string' ? params.reason : 'Cancelled'));
      }
      return new Response(null, { status: 202 });
    }
    const headers = new Headers(init.headers);
    headers.set('mcp-protocol-version', version);
    headers.set('mcp-method', message.method);
    const name = message.method === 'resources/read' ? params.uri : message.method === 'tools/call' || message.method === 'prompts/get' ? params.name : undefined;
    if (typeof name === 'string') headers.set('mcp-name', encodeHeaderValue(name));
    if (message.method === 'tools/call' && typeof name === 'string' && options.toolHeaders) {
      for (const [header, value] of Object.entries(options.toolHeaders(name, params.arguments))) headers.set(header, value);
    }
    let signal = init.signal ?? undefined;
    const id = message.id;
    let ended = () => {};
    if (typeof id === 'string' || typeof id === 'number') {
      const controller = new AbortController();
      streams.set(id, controller);
      if (streams.size > MAX_TRACKED_REQUESTS) streams.delete(streams.keys().next().value!);
      signal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
      // Forgotten once its response has ended: a long session must not keep every request's controller.
      ended = () => {
        if (streams.get(id) === controller) streams.delete(id);
      };
    }
    const listen = message.method === 'subscriptions/listen' ? options.onListenStreamEnded : undefined;
    const bodyEnded = listen
      ? () => {
          ended();
          listen();
        }
      : ended;
    let response: Response;
    try {
      response = onBodyEnd(await base(input, { ...init, headers, ...(signal ? { signal } : {}) }), bodyEnded);
    } catch (error) {
      ended();
      throw error;
    }
    if (message.method === 'server/discover') {
      refused = undefined;
      if (response.status >= 400 && response.status < 500) {
        const text = await response
          .clone()
          .text()
          .catch(() => '');
        refused = wireErrorFromBody(text.slice(0, MAX_ERROR_BODY));
      }
    }
    return response;
  };
  return { fetch, refusedProbeError: () => refused, openRequests: () => streams.size };
}

/** The same response, calling `done` once its body has ended, failed or been cancelled (at once when it has none). */
function onBodyEnd(response: Response, done: () => void): Response {
  const body = response.body;
  if (!body) {
    done();
    return response;
  }
  const reader = body.getReader();
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          done();
          controller.close();
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        done();
        controller.error(error);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}
