/**
 * The guard every HTTP provider shares, whatever library speaks its protocol: errors fit to send to
 * the MCP server (HTTP 401/403/429/5xx mapped to a ProviderError kind, never the key, never the
 * endpoint's address), an idle timeout for streamed answers, and bounds on what an endpoint may send
 * (answer length, tool calls, listed models): an endpoint is untrusted and can stream forever.
 */
import type { Logger } from '../logger';
import { ProviderError, scrubSecrets } from './providerError';

export const HTTP_LIMITS = {
  answerChars: 4_000_000,
  toolCalls: 128,
  /** A streamed tool call's name and arguments are bounded while they accumulate. */
  toolNameChars: 1024,
  toolArgumentChars: 4_000_000,
  listedModels: 2000,
} as const;

export interface HttpEndpoint {
  readonly label: string;
  readonly baseUrl: string;
}

/** The first string `code` along an error's causes (e.g. ECONNREFUSED under a fetch error). */
export function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

export class HttpGuard {
  constructor(
    private readonly endpoint: HttpEndpoint,
    private readonly logger: Logger,
  ) {}

  /** `text` without the key and without the endpoint's address (a private host, or a key in its query): the log has that. */
  scrub(text: string, key: string | undefined): string {
    return this.hideEndpoint(scrubSecrets(text, [key]));
  }

  /** A detail from the endpoint, scrubbed before it is cut: a key cut in half would no longer be recognised. */
  detail(text: string, key: string | undefined, max?: number): string {
    return shorten(this.scrub(text, key), max);
  }

  /** A ProviderError thrown inside the provider, scrubbed again: its message may quote the endpoint. */
  rescrub(error: ProviderError, key: string | undefined): ProviderError {
    return new ProviderError(error.kind, this.scrub(error.message, key), error.status);
  }

  /** An HTTP error status as the kind and message the server and the user see. */
  statusError(status: number, detail: string, rateLimit: { readonly retries: number; readonly retryAfter?: string | null }): ProviderError {
    const label = this.endpoint.label;
    if (status === 401) return new ProviderError('auth', `API key rejected by ${label}: set it with MCP Sampling: Set API Key…`, 401);
    if (status === 403) return new ProviderError('auth', `${label} refused access (HTTP 403): ${detail}`, 403);
    if (status === 429) {
      const wait = rateLimit.retryAfter ? ` (it asked to wait ${rateLimit.retryAfter} s)` : '';
      return new ProviderError('rate-limit', `${label} is rate limiting requests (HTTP 429) and still refused after ${rateLimit.retries} retries${wait}; try again later`, 429);
    }
    if (status >= 500) return new ProviderError('server', `${label} failed with HTTP ${status}: ${detail}`, status);
    return new ProviderError('request', `${label} refused the request (HTTP ${status}): ${detail}`, status);
  }

  timeoutError(timeoutMs: number): ProviderError {
    return new ProviderError('timeout', `${this.endpoint.label} did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }

  /** The connection failed: the server hears what failed, the log also names the endpoint. */
  connectionError(error: unknown, key: string | undefined): ProviderError {
    const code = causeCode(error);
    const what = code === 'ECONNREFUSED' ? 'the connection was refused' : code ? `the connection failed (${code})` : 'the connection failed';
    this.logger.warn(`${this.endpoint.label}: could not reach ${scrubSecrets(this.endpoint.baseUrl, [key])}: ${what}`);
    return new ProviderError('connection', `Could not reach ${this.endpoint.label}: ${what} (the log names the endpoint)`);
  }

  /** Anything else thrown while asking: a stream that does not parse, or an unexpected failure. */
  otherError(error: unknown, key: string | undefined): ProviderError {
    const label = this.endpoint.label;
    if (error instanceof ProviderError) return this.rescrub(error, key);
    if (error instanceof SyntaxError) return new ProviderError('malformed', `${label} sent a malformed response stream (${this.detail(error.message, key, 120)})`);
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError('server', `${label} failed: ${this.detail(message, key)}`);
  }

  /** A signal that also aborts when a stream sends nothing for `idleMs`; `refresh` on every chunk. */
  idleTimeout(outer: AbortSignal, idleMs: number): IdleTimeout {
    return new IdleTimeout(outer, idleMs, () => new ProviderError('timeout', `${this.endpoint.label} stopped sending its answer for ${seconds(idleMs)}`));
  }

  /** An answer accumulated from a stream within HTTP_LIMITS. */
  boundedAnswer(): BoundedAnswer {
    return new BoundedAnswer(this.endpoint.label);
  }

  private hideEndpoint(text: string): string {
    const { baseUrl, label } = this.endpoint;
    const variants = new Set([baseUrl, baseUrl.replace(/\/+$/, '')]);
    try {
      const url = new URL(baseUrl);
      variants.add(url.origin);
      variants.add(url.host);
    } catch {}
    let out = text;
    for (const v of [...variants].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(v).join(`<${label} endpoint>`);
    return out;
  }
}

/**
 * One controller for the caller's signal and the idle timeout, and one timer re-armed with refresh()
 * on every chunk: AbortSignal.any and a new timer per chunk were per-request garbage.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = () => this.controller.abort(this.outer.reason);
  private timedOut = false;

  constructor(
    private readonly outer: AbortSignal,
    idleMs: number,
    error: () => ProviderError,
  ) {
    if (outer.aborted) this.onAbort();
    else outer.addEventListener('abort', this.onAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(error());
    }, idleMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the stream went quiet (rather than the caller giving up). */
  get idled(): boolean {
    return this.timedOut && !this.outer.aborted;
  }

  refresh(): void {
    this.timer.refresh();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onAbort);
  }
}

export interface StreamedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A streamed answer's text and tool calls, each part checked against HTTP_LIMITS as it arrives. */
export class BoundedAnswer {
  text = '';
  private readonly calls: { id: string; name: string; arguments: string }[] = [];
  private toolArgumentChars = 0;

  constructor(private readonly label: string) {}

  addText(delta: string): void {
    this.text += delta;
    if (this.text.length > HTTP_LIMITS.answerChars) throw new ProviderError('malformed', `${this.label} sent an answer longer than ${HTTP_LIMITS.answerChars} characters`);
  }

  /** A piece of a tool call: `index` says which call (absent: the next one); name and arguments arrive in pieces. */
  addToolCallPart(index: unknown, id: unknown, name: unknown, args: unknown): void {
    const at = typeof index === 'number' ? index : this.calls.length;
    if (at < 0 || at >= HTTP_LIMITS.toolCalls) throw new ProviderError('malformed', `${this.label} sent a tool call index out of range`);
    const slot = (this.calls[at] ??= { id: '', name: '', arguments: '' });
    if (typeof id === 'string' && id) slot.id = id.slice(0, 256);
    if (typeof name === 'string' && name) {
      if (slot.name.length + name.length > HTTP_LIMITS.toolNameChars) throw new ProviderError('malformed', `${this.label} sent a tool call name longer than ${HTTP_LIMITS.toolNameChars} characters`);
      slot.name += name;
    }
    if (typeof args === 'string' && args) {
      this.toolArgumentChars += args.length;
      if (this.toolArgumentChars > HTTP_LIMITS.toolArgumentChars) throw new ProviderError('malformed', `${this.label} sent tool call arguments longer than ${HTTP_LIMITS.toolArgumentChars} characters`);
      slot.arguments += args;
    }
  }

  get hasToolCalls(): boolean {
    return this.calls.length > 0;
  }

  /** The calls in order, each with an id (the endpoint's, or `call_<n>`). */
  toolCalls(): StreamedToolCall[] {
    return this.calls.filter((c) => c !== undefined).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
  }
}
