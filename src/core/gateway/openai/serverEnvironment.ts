/**
 * A server definition with `"llmEndpoint": true` starts with the endpoint's address and its own key
 * in its environment (OPENAI_BASE_URL, OPENAI_API_KEY), so the OpenAI SDKs reach the endpoint with
 * no code change. Applied after the variables are resolved (and, for a workspace server, after the
 * consent that names it); the key joins the definition's secrets, so logs redact it.
 */
import type { ResolveResult } from '../../config/variables';
import type { Logger } from '../../logger';

/** The variables for a server, or undefined when the endpoint is not running (the server starts without them). */
export type LlmEnvironmentSource = (serverName: string) => Promise<Readonly<Record<string, string>> | undefined>;

export async function withLlmEndpointEnvironment(result: ResolveResult, environment: LlmEnvironmentSource | undefined, logger: Logger): Promise<ResolveResult> {
  if (!result.ok || result.definition.type !== 'stdio' || !result.definition.llmEndpoint) return result;
  const definition = result.definition;
  const env = environment ? await environment(definition.name) : undefined;
  if (!env) {
    logger.warn(`[${definition.name}] "llmEndpoint": true, but the gateway's OpenAI-compatible endpoint is not running (mcpSampling.gateway.enabled, mcpSampling.llmEndpoint.enabled): it starts without OPENAI_BASE_URL and OPENAI_API_KEY.`);
    return result;
  }
  return { ok: true, definition: { ...definition, env: { ...definition.env, ...env } }, secrets: new Set([...result.secrets, ...(env.OPENAI_API_KEY ? [env.OPENAI_API_KEY] : [])]) };
}
