/**
 * Wiring for the gateway's OpenAI-compatible endpoint: who a key belongs to (a client the user
 * named, or a server definition with `"llmEndpoint": true`), the sampling runtime it runs on (loaded
 * on the first completion, like the rest of the pipeline), and the environment a server gets.
 * The endpoint's code itself loads on its first request.
 */
import type { GatewayRoutes } from '../../core/gateway/gatewayServer';
import type { LlmCallerKeys } from '../../core/gateway/openai/callerKeys';
import type { LlmCaller, LlmEndpoint } from '../../core/gateway/openai/endpoint';
import type { Logger } from '../../core/logger';
import type { SamplingRuntime } from '../samplingRuntime';

/** Where a client key's requests say they come from (card, history, "always allow"). */
export const CLIENT_KEY_SOURCE = 'LLM endpoint key';

export interface LlmEndpointWiring {
  readonly keys: LlmCallerKeys;
  /** The sampling runtime (built on first use). */
  readonly runtime: () => Promise<SamplingRuntime>;
  /** Where a server definition lives, for a server key's requests. */
  readonly serverSource: (serverName: string) => string;
}

export function llmEndpointRoutes(wiring: LlmEndpointWiring, logger: Logger, enabled: () => boolean): GatewayRoutes {
  let llm: SamplingRuntime['llm'] | undefined;
  const runtime = async () => (llm ??= (await wiring.runtime()).llm);
  const authenticate = (authorization: string | undefined): LlmCaller | undefined => {
    const key = wiring.keys.authenticate(authorization);
    if (!key) return undefined;
    return { id: key.id, serverName: key.name, serverSource: key.kind === 'server' ? wiring.serverSource(key.name) : CLIENT_KEY_SOURCE };
  };
  let endpoint: Promise<LlmEndpoint> | undefined;
  const load = () =>
    (endpoint ??= import('../../core/gateway/openai/endpoint').then(
      (m) =>
        new m.LlmEndpoint({
          authenticate,
          enabled,
          run: async (params, ctx, observer) => (await runtime()).run(params, ctx, observer),
          catalog: async (signal) => (await runtime()).catalog(signal),
          // Before the runtime is loaded no answer is being written: nothing streams unreviewed.
          reviewsAnswer: (serverName, approvedByPerson) => llm?.reviewsAnswer(serverName, approvedByPerson) ?? true,
          logger,
        }),
    ));
  return {
    handles: (path) => path.startsWith('/v1/'),
    handle: async (req, res, path) => {
      await wiring.keys.load();
      return (await load()).handle(req, res, path);
    },
  };
}

/** The environment a server with `"llmEndpoint": true` gets, or undefined when the endpoint is not running. */
export async function llmEndpointEnvironment(keys: LlmCallerKeys, serverName: string, gatewayUrl: string | undefined): Promise<Record<string, string> | undefined> {
  if (gatewayUrl === undefined) return undefined;
  const base = new URL('/v1', gatewayUrl).toString();
  return { OPENAI_BASE_URL: base, OPENAI_API_KEY: await keys.serverKey(serverName) };
}
