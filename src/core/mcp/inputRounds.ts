/**
 * The requests whose results may ask for input (`tools/call`, `prompts/get`, `resources/read`),
 * run through the round driver with this connection's answers: embedded sampling goes to the
 * `input-required` sampling handler (the same pipeline as pushed sampling), elicitation and roots
 * are answered in the same round.
 */
import type { Logger } from '../logger';
import { runWithInputRounds, type InputRequestContext, type InputRequestHandlers, type RoundCall } from '../rounds/roundHandler';
import type { MultiRoundTripMethod } from '../rounds/inputRequired';
import { sdkRoundCall, type LegOptions } from './sdkRoundCall';
import type { SdkClient } from './sdk';
import type { ServerConnectionOptions, SamplingRequestContext } from './types';

/** The answers a connection gives inside `input_required` rounds, from its injected handlers. */
export function inputRequestHandlers(serverName: string, options: ServerConnectionOptions, protocolVersion: string | undefined, caller?: string): InputRequestHandlers {
  const context = (ctx: InputRequestContext): SamplingRequestContext => ({
    serverName,
    requestId: `${ctx.key}#${ctx.round}`,
    signal: ctx.signal,
    // Proven: the request came in a round of this very call.
    ...(ctx.toolName ? { toolCall: { name: ctx.toolName, ...(caller !== undefined ? { caller } : {}) } } : caller !== undefined ? { caller } : {}),
    ...(protocolVersion ? { protocolVersion } : {}),
  });
  const sampling = options.inputRequiredSamplingHandler ?? options.samplingHandler;
  const elicit = options.elicitationHandler;
  const roots = options.rootsSource;
  return {
    'sampling/createMessage': (params, ctx) => sampling(params, context(ctx)),
    ...(elicit ? { 'elicitation/create': (params: unknown, ctx: InputRequestContext) => elicit(params, context(ctx)) } : {}),
    ...(roots ? { 'roots/list': async () => ({ roots: [...(await roots.listRoots())] }) } : {}),
  };
}

export interface RoundRequest {
  readonly client: SdkClient;
  readonly method: MultiRoundTripMethod;
  readonly params: Readonly<Record<string, unknown>>;
  readonly legOptions: LegOptions;
  readonly handlers: InputRequestHandlers;
  readonly signal?: AbortSignal;
  readonly maxRounds?: number;
  readonly logger: Logger;
  readonly label: string;
  /**
   * Wraps each leg (the sign-in retry): a leg refused for want of a sign-in is sent again as it was,
   * with the answers and requestState of its round, instead of the whole request from the start.
   */
  readonly eachLeg?: <T>(leg: () => Promise<T>) => Promise<T>;
}

/** Sends the request and runs its rounds; resolves with the final (complete) raw result. */
export function requestWithRounds(request: RoundRequest): Promise<unknown> {
  const send = sdkRoundCall(request.client, request.method, request.legOptions);
  const wrap = request.eachLeg;
  const leg: RoundCall = wrap ? (params, signal) => wrap(() => send(params, signal)) : send;
  return runWithInputRounds(request.method, request.params, leg, request.handlers, {
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.maxRounds ? { maxRounds: request.maxRounds } : {}),
    logger: request.logger,
    label: request.label,
  });
}
