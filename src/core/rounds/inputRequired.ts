/**
 * The MCP 2026-07-28 multi round-trip wire shapes (SEP-2322): a `tools/call`, `prompts/get` or
 * `resources/read` result with `resultType: "input_required"`, its embedded `inputRequests` and the
 * opaque `requestState`. The server is a third-party program, so everything is checked and bounded
 * here before any of it reaches a handler.
 */
import { isRecord } from '../../shared/isRecord';

/** The methods whose results may ask for input. */
export const MULTI_ROUND_TRIP_METHODS = ['tools/call', 'prompts/get', 'resources/read'] as const;
export type MultiRoundTripMethod = (typeof MULTI_ROUND_TRIP_METHODS)[number];

export interface InputRequest {
  readonly key: string;
  readonly method: string;
  /** The embedded request's params, still unvalidated (each handler validates its own kind). */
  readonly params: unknown;
}

export interface InputRequiredPayload {
  readonly requests: readonly InputRequest[];
  readonly requestState?: string;
}

export interface InputRequiredLimits {
  /** Embedded requests one round may carry. */
  readonly maxRequestsPerRound: number;
  /** The longest `requestState` echoed back, in UTF-16 code units. */
  readonly maxRequestStateLength: number;
  /** The longest key of `inputRequests`. */
  readonly maxKeyLength: number;
}

export const DEFAULT_INPUT_REQUIRED_LIMITS: InputRequiredLimits = {
  maxRequestsPerRound: 16,
  maxRequestStateLength: 1024 * 1024,
  maxKeyLength: 256,
};

/** A server broke the multi round-trip rules; the message says how, for the user and the log. */
export class InputRequiredProtocolError extends Error {
  override readonly name = 'InputRequiredProtocolError';
}

/**
 * Reads an `input_required` result. Returns undefined for any other result (a complete one);
 * throws InputRequiredProtocolError when the result says input_required but breaks the shape or a limit.
 */
export function parseInputRequired(result: unknown, limits: InputRequiredLimits = DEFAULT_INPUT_REQUIRED_LIMITS): InputRequiredPayload | undefined {
  if (!isRecord(result)) return undefined;
  if (result.resultType === undefined || result.resultType === 'complete') return undefined;
  if (result.resultType !== 'input_required') {
    throw new InputRequiredProtocolError(`The server answered with an unknown resultType ${JSON.stringify(String(result.resultType)).slice(0, 80)}`);
  }
  const { inputRequests, requestState } = result;
  if (requestState !== undefined) {
    if (typeof requestState !== 'string') throw new InputRequiredProtocolError('requestState must be a string');
    if (requestState.length > limits.maxRequestStateLength) {
      throw new InputRequiredProtocolError(`requestState is ${requestState.length} characters, more than the ${limits.maxRequestStateLength} accepted`);
    }
  }
  if (inputRequests !== undefined && !isRecord(inputRequests)) throw new InputRequiredProtocolError('inputRequests must be an object keyed by request id');
  const entries = inputRequests ? Object.entries(inputRequests) : [];
  if (entries.length === 0 && requestState === undefined) {
    throw new InputRequiredProtocolError('An input_required result must carry inputRequests or requestState');
  }
  if (entries.length > limits.maxRequestsPerRound) {
    throw new InputRequiredProtocolError(`The server asked for ${entries.length} inputs in one round, more than the ${limits.maxRequestsPerRound} accepted`);
  }
  const requests = entries.map(([key, entry]): InputRequest => {
    if (key.length === 0 || key.length > limits.maxKeyLength) throw new InputRequiredProtocolError(`An inputRequests key must be 1–${limits.maxKeyLength} characters`);
    if (!isRecord(entry) || typeof entry.method !== 'string') {
      throw new InputRequiredProtocolError(`inputRequests[${JSON.stringify(key.slice(0, 40))}] must be an object with a string method`);
    }
    if (entry.params !== undefined && !isRecord(entry.params)) {
      throw new InputRequiredProtocolError(`inputRequests[${JSON.stringify(key.slice(0, 40))}].params must be an object`);
    }
    return { key, method: entry.method, params: entry.params ?? {} };
  });
  return { requests, ...(requestState !== undefined ? { requestState } : {}) };
}

/** The params of the retry: the original params, this round's responses and the echoed state. */
export function retryParams(
  original: Readonly<Record<string, unknown>>,
  responses: Readonly<Record<string, unknown>> | undefined,
  requestState: string | undefined,
): Record<string, unknown> {
  // Responses and state from an earlier round must not leak into this one.
  const { inputResponses: _previousResponses, requestState: _previousState, ...base } = original;
  return {
    ...base,
    ...(responses && Object.keys(responses).length > 0 ? { inputResponses: responses } : {}),
    ...(requestState !== undefined ? { requestState } : {}),
  };
}
