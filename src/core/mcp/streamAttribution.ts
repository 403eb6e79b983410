/**
 * Proof of which tool call a 2025-11-25 server request belongs to, where the transport gives one:
 * over Streamable HTTP a server sends the requests it makes while handling a `tools/call` on that
 * call's own POST response stream (SSE). The fetch wrapper reads those streams (passing every byte
 * on unchanged) and records, by the server's request id, the tool whose stream carried it; the
 * request handler takes that record when the request arrives. Requests from the standalone GET
 * stream, stdio or SSE servers carry no such proof.
 */
import type { FetchLike } from './limitedFetch';

/** Records kept at once: a server that never sends what it announced must not grow memory. */
const MAX_RECORDS = 256;

type RequestId = string | number;
const keyOf = (id: RequestId): string => `${typeof id}:${String(id)}`;

/** The tool name of a JSON-RPC `tools/call` request body, if `init` carries one. */
function toolCallOf(init: RequestInit | undefined): string | undefined {
  if (init?.method !== 'POST' || typeof init.body !== 'string' || !init.body.includes('tools/call')) return undefined;
  try {
    const message = JSON.parse(init.body) as { method?: unknown; params?: { name?: unknown } };
    return message.method === 'tools/call' && typeof message.params?.name === 'string' ? message.params.name : undefined;
  } catch {
    return undefined;
  }
}

export class StreamAttribution {
  private readonly records = new Map<string, string>();

  /** The tool call whose response stream carried server request `id`; `take` consumes the record, `peek` keeps it. */
  take(id: RequestId, consume = true): string | undefined {
    const key = keyOf(id);
    const name = this.records.get(key);
    if (consume) this.records.delete(key);
    return name;
  }

  private record(id: RequestId, toolName: string): void {
    if (this.records.size >= MAX_RECORDS) this.records.delete(this.records.keys().next().value!);
    this.records.set(keyOf(id), toolName);
  }

  /** A fetch that notes the requests on each `tools/call` response stream. */
  wrap(fetch: FetchLike): FetchLike {
    return async (input, init) => {
      const response = await fetch(input, init);
      const toolName = toolCallOf(init);
      if (toolName === undefined || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) return response;
      return new Response(response.body.pipeThrough(this.tap(toolName)), { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  /** Passes the stream through; parses its SSE events on the side (each bounded by the limited fetch beneath). */
  private tap(toolName: string): TransformStream<Uint8Array, Uint8Array> {
    const decoder = new TextDecoder();
    let partial = '';
    let data: string[] = [];
    const endEvent = () => {
      const text = data.join('\n');
      data = [];
      if (!text.includes('"method"')) return; // Responses and notifications without it are not requests.
      try {
        const message = JSON.parse(text) as { id?: unknown; method?: unknown };
        if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')) this.record(message.id, toolName);
      } catch {
        // Not JSON: the transport reports it.
      }
    };
    const line = (text: string) => {
      if (text === '') endEvent();
      else if (text.startsWith('data:')) data.push(text.slice(text.startsWith('data: ') ? 6 : 5));
    };
    return new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        const lines = (partial + decoder.decode(chunk, { stream: true })).split(/\r\n|\r|\n/);
        partial = lines.pop() ?? '';
        for (const text of lines) line(text);
      },
      flush() {
        if (partial !== '') line(partial);
        if (data.length > 0) endEvent();
      },
    });
  }
}
