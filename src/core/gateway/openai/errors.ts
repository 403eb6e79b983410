/**
 * Errors in OpenAI's shape (`{ error: { message, type, param, code } }`) with the HTTP status an
 * OpenAI client expects, and the pipeline's refusals translated to them: the user rejected → 403,
 * a rate or pending limit → 429 with Retry-After, an invalid request → 400.
 */
import type { ServerResponse } from 'node:http';

// The pipeline's McpError codes, read structurally: this module loads with the gateway, before the SDK.
const SAMPLING_REFUSED = -1;
const INVALID_PARAMS = -32602;
const REQUEST_TIMEOUT = -32001;

function codeOf(error: unknown): number | undefined {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/^MCP error -?\d+: /, '');
  return typeof error === 'string' ? error : 'unknown error';
}

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  408: 'timeout_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'server_error',
  502: 'server_error',
  503: 'server_error',
};

export class OpenAiHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly options: { readonly param?: string; readonly code?: string; readonly retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'OpenAiHttpError';
  }

  /** The JSON body OpenAI's clients parse into their error classes. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: TYPE_BY_STATUS[this.status] ?? 'server_error', param: this.options.param ?? null, code: this.options.code ?? null } };
  }

  headers(): Record<string, string> {
    return this.options.retryAfterSeconds !== undefined ? { 'retry-after': String(this.options.retryAfterSeconds) } : {};
  }
}

/** A 400 naming the field that is wrong (`messages[2].content[0].image_url.url`). */
export function badField(param: string, message: string): OpenAiHttpError {
  return new OpenAiHttpError(400, `${param}: ${message}`, { param, code: 'invalid_value' });
}

/** How long a refused caller should wait, read from the policy's own words ("retry in 12 s"). */
function retryAfterOf(message: string, fallback: number): number {
  const match = /retry in (\d+) s/.exec(message);
  return match ? Math.max(1, Number(match[1])) : fallback;
}

/** What the pipeline threw (always an McpError with secrets scrubbed), as the caller's HTTP error. */
export function fromPipelineError(error: unknown): OpenAiHttpError {
  const message = describeError(error);
  if (error instanceof OpenAiHttpError) return error;
  const code = codeOf(error);
  if (code === undefined) return new OpenAiHttpError(500, `The completion failed: ${message}`);
  if (code === SAMPLING_REFUSED) {
    // The policy's limits: per-minute rate, or too many requests already waiting for a person.
    if (/^Too many sampling requests/.test(message)) return new OpenAiHttpError(429, message, { code: 'rate_limit_exceeded', retryAfterSeconds: retryAfterOf(message, 10) });
    if (/waiting for a person/.test(message)) return new OpenAiHttpError(429, message, { code: 'too_many_pending', retryAfterSeconds: 10 });
    return new OpenAiHttpError(403, message, { code: 'rejected' });
  }
  if (code === INVALID_PARAMS) return new OpenAiHttpError(400, message, { code: 'invalid_request' });
  if (code === REQUEST_TIMEOUT) return new OpenAiHttpError(408, message, { code: 'cancelled' });
  return new OpenAiHttpError(502, message, { code: 'completion_failed' });
}

/** Writes the error, or (headers already sent, as in a stream) ends the response. */
export function sendOpenAiError(res: ServerResponse, error: OpenAiHttpError, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(error.status, { 'content-type': 'application/json', ...error.headers(), ...extraHeaders }).end(JSON.stringify(error.body()));
}
