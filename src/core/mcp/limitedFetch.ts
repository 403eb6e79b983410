/**
 * A fetch for the HTTP transports that bounds what one server message may cost us: a JSON
 * response body, or one SSE event (bytes between blank lines), may not exceed `maxBytes`.
 * Without it, the SDK reads bodies and events of any size into memory. The limit is read on each
 * response and chunk, so a changed setting applies to the next message.
 */
import { currentLimit, type MessageLimit } from './messageLimit';

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

const LF = 10;
const CR = 13;

/** Counts bytes since the last event boundary (a blank line) and fails the stream past the limit. */
function limitStream(body: ReadableStream<Uint8Array>, limit: MessageLimit, perEvent: boolean, url: string): ReadableStream<Uint8Array> {
  let sinceBoundary = 0;
  let previousWasLf = false;
  const limiter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const maxBytes = currentLimit(limit);
      if (!perEvent) {
        sinceBoundary += chunk.byteLength;
      } else {
        for (let i = 0; i < chunk.length; i++) {
          const byte = chunk[i];
          if (byte === CR) continue;
          if (byte === LF) {
            if (previousWasLf) sinceBoundary = 0;
            previousWasLf = true;
          } else {
            previousWasLf = false;
          }
          // Checked per byte: one chunk may hold a large event and then a boundary.
          if (++sinceBoundary > maxBytes) break;
        }
      }
      if (sinceBoundary > maxBytes) {
        controller.error(new Error(`A message from ${url} is larger than ${maxBytes} bytes; the connection was closed.`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
  return body.pipeThrough(limiter);
}

/** Where a message came from, for errors: origin and path only (a query or user info may carry `${input:}` secrets). */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return 'the server';
  }
}

export function createLimitedFetch(limit: MessageLimit, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    const response = await base(url, init);
    const maxBytes = currentLimit(limit);
    // Statuses that may not carry a body cannot be rebuilt with one.
    if (!response.body || [101, 204, 205, 304].includes(response.status)) return response;
    const length = Number(response.headers.get('content-length') ?? NaN);
    const href = describeUrl(url);
    if (Number.isFinite(length) && length > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new Error(`A message from ${href} is larger than ${maxBytes} bytes (Content-Length ${length}).`);
    }
    const perEvent = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    return new Response(limitStream(response.body, limit, perEvent, href), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
