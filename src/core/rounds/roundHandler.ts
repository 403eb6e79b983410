/**
 * The client side of MCP 2026-07-28 multi round-trip requests: call, and while the server answers
 * `input_required`, fulfil its embedded requests (sampling through the approval pipeline,
 * elicitation, roots) and call again with `inputResponses` and the same `requestState`.
 * SDK-neutral: the caller supplies the function that sends one request and returns the raw result.
 */
import { setMaxListeners } from 'node:events';
import { abortableDelay, raceAbort } from '../async';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import {
  DEFAULT_INPUT_REQUIRED_LIMITS,
  InputRequiredProtocolError,
  parseInputRequired,
  retryParams,
  type InputRequest,
  type InputRequiredLimits,
  type MultiRoundTripMethod,
} from './inputRequired';

/** Sends one request (one leg of the flow) and resolves with the server's raw result. */
export type RoundCall = (params: Record<string, unknown>, signal: AbortSignal) => Promise<unknown>;

export interface InputRequestContext {
  /** The server's key for this request inside `inputRequests`. */
  readonly key: string;
  /** 1 for the first `input_required` answer, 2 for the next, … */
  readonly round: number;
  /** The call that asked, e.g. tools/call of a named tool. */
  readonly method: MultiRoundTripMethod;
  readonly toolName?: string;
  /** Aborted when the caller aborts or another request of the same round failed. */
  readonly signal: AbortSignal;
}

/** One handler per kind; a kind without a handler is refused with a clear error. */
export interface InputRequestHandlers {
  readonly 'sampling/createMessage'?: (params: unknown, ctx: InputRequestContext) => Promise<unknown>;
  readonly 'elicitation/create'?: (params: unknown, ctx: InputRequestContext) => Promise<unknown>;
  readonly 'roots/list'?: (params: unknown, ctx: InputRequestContext) => Promise<unknown>;
}

export interface RoundOptions {
  readonly signal?: AbortSignal;
  /** Calls (after the first) before giving up. Default 10, as the v2 SDK. */
  readonly maxRounds?: number;
  readonly limits?: InputRequiredLimits;
  /** Wait before a retry that carries no input (state only), so a shedding server is not hammered. Default 250 ms. */
  readonly stateOnlyDelayMs?: number;
  readonly logger?: Logger;
  /** For log lines and errors, e.g. the server name. */
  readonly label?: string;
}

/** The flow could not finish; `round` says where. The message is safe to show and log. */
export class InputRoundError extends Error {
  override readonly name = 'InputRoundError';
  constructor(
    message: string,
    readonly round: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const DEFAULT_MAX_ROUNDS = 10;
const DEFAULT_STATE_ONLY_DELAY_MS = 250;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function fulfilRound(
  requests: readonly InputRequest[],
  handlers: InputRequestHandlers,
  base: Omit<InputRequestContext, 'key' | 'signal'>,
  outer: AbortSignal,
): Promise<Record<string, unknown>> {
  // Refuse the whole round before starting anything when one kind cannot be answered.
  for (const request of requests) {
    if (!Object.hasOwn(handlers, request.method) || !handlers[request.method as keyof InputRequestHandlers]) {
      throw new InputRoundError(
        `The server asked for ${JSON.stringify(request.method.slice(0, 80))} (input ${JSON.stringify(request.key.slice(0, 40))}), which this client does not support`,
        base.round,
      );
    }
  }
  const round = new AbortController();
  // Each request of the round (and the pipeline behind it) listens on this signal; the count is bounded by the limits.
  setMaxListeners(requests.length * 4 + 8, round.signal);
  const forward = () => round.abort(outer.reason);
  if (outer.aborted) forward();
  else outer.addEventListener('abort', forward, { once: true });
  try {
    const answers = await Promise.all(
      requests.map(async (request) => {
        const handler = handlers[request.method as keyof InputRequestHandlers]!;
        try {
          // Raced, so a handler that ignores the signal cannot hold the flow.
          const answer = await raceAbort(handler(request.params, { ...base, key: request.key, signal: round.signal }), round.signal);
          if (typeof answer !== 'object' || answer === null) throw new Error(`the ${request.method} handler returned no result`);
          return [request.key, answer] as const;
        } catch (error) {
          // The first failure ends the round: the others would be answers nobody sends.
          if (!round.signal.aborted) round.abort(error);
          throw error;
        }
      }),
    );
    // A plain object built key by key, so a key like "__proto__" stays data.
    const responses: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, answer] of answers) responses[key] = answer;
    return { ...responses };
  } finally {
    outer.removeEventListener('abort', forward);
  }
}

interface Flow {
  readonly method: MultiRoundTripMethod;
  readonly params: Readonly<Record<string, unknown>>;
  readonly call: RoundCall;
  readonly handlers: InputRequestHandlers;
  readonly maxRounds: number;
  readonly limits: InputRequiredLimits;
  readonly stateOnlyDelayMs: number;
  readonly logger: Logger;
  readonly label: string;
}

async function driveRounds(flow: Flow, signal: AbortSignal): Promise<unknown> {
  const { method, params, call, maxRounds, limits, logger, label } = flow;
  const toolName = method === 'tools/call' && typeof params.name === 'string' ? params.name : undefined;
  const what = toolName ? `${method} ${toolName}` : method;
  let result = await call({ ...params }, signal);
  for (let round = 1; ; round++) {
    let payload;
    try {
      payload = parseInputRequired(result, limits);
    } catch (error) {
      if (error instanceof InputRequiredProtocolError) throw new InputRoundError(`${what}: ${error.message}`, round, { cause: error });
      throw error;
    }
    if (!payload) return result;
    if (round > maxRounds) throw new InputRoundError(`${what} still asked for input after ${maxRounds} rounds; giving up`, round);
    logger.debug(`${label}${what}: round ${round} asks for ${payload.requests.map((r) => `${r.key}=${r.method}`).join(', ') || 'a retry (state only)'}`);
    let responses: Record<string, unknown> | undefined;
    if (payload.requests.length > 0) {
      try {
        responses = await fulfilRound(payload.requests, flow.handlers, { round, method, ...(toolName ? { toolName } : {}) }, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof InputRoundError) throw error;
        throw new InputRoundError(`${what}: round ${round} failed: ${errorText(error)}`, round, { cause: error });
      }
    } else {
      await abortableDelay(flow.stateOnlyDelayMs, signal);
    }
    signal.throwIfAborted();
    result = await call(retryParams(params, responses, payload.requestState), signal);
  }
}

/**
 * Runs one multi round-trip flow and resolves with the final (complete) result.
 * Rejects with InputRoundError (too many rounds, an unsupported kind, a handler failure, a broken
 * input_required result) or with the abort reason when `options.signal` aborts.
 */
export async function runWithInputRounds(
  method: MultiRoundTripMethod,
  params: Readonly<Record<string, unknown>>,
  call: RoundCall,
  handlers: InputRequestHandlers,
  options: RoundOptions = {},
): Promise<unknown> {
  const outer = options.signal ?? new AbortController().signal;
  outer.throwIfAborted();
  const flow: Flow = {
    method,
    params,
    call,
    handlers,
    maxRounds: options.maxRounds ?? DEFAULT_MAX_ROUNDS,
    limits: options.limits ?? DEFAULT_INPUT_REQUIRED_LIMITS,
    stateOnlyDelayMs: options.stateOnlyDelayMs ?? DEFAULT_STATE_ONLY_DELAY_MS,
    logger: options.logger ?? silentLogger,
    label: options.label ? `[${options.label}] ` : '',
  };
  // The flow's own signal: every leg and handler listens on it (the SDK does not always remove its
  // listener), so a caller's long-lived signal does not collect listeners across calls.
  const controller = new AbortController();
  setMaxListeners((flow.maxRounds + 1) * (flow.limits.maxRequestsPerRound + 4) + 16, controller.signal);
  const forward = () => controller.abort(outer.reason);
  outer.addEventListener('abort', forward, { once: true });
  try {
    return await driveRounds(flow, controller.signal);
  } finally {
    outer.removeEventListener('abort', forward);
  }
}
