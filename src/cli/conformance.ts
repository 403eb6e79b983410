/**
 * What the headless client does when the conformance suite runs it (MCP_CONFORMANCE_SCENARIO):
 * which scenario names it accepts, whether it calls every tool, and the calls a scenario asks for
 * by name (MCP_CONFORMANCE_CONTEXT's `toolCalls`, the JSON Schema echo).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { isRecord } from '../shared/isRecord';

/**
 * The conformance suite's client scenarios this client knows. MCP_CONFORMANCE_SCENARIO with any
 * other value is refused: conformance mode changes behaviour (it calls every tool), so it must not
 * be entered by an environment variable that merely happens to be set.
 */
export const CONFORMANCE_SCENARIOS: readonly string[] = [
  'initialize',
  'tools_call',
  'elicitation-sep1034-client-defaults',
  'sse-retry',
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/basic-cimd',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/scope-step-up',
  'auth/scope-retry-limit',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/client-credentials-jwt',
  'auth/client-credentials-basic',
  'auth/cross-app-access-complete-flow',
  // Added by the 0.2 alphas (2026-07-28 and extensions).
  'request-metadata',
  'auth/authorization-server-migration',
  'auth/iss-supported',
  'auth/iss-not-advertised',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
  'auth/enterprise-managed-authorization',
  'auth/dpop',
  'auth/dpop-nonce',
  'auth/wif-jwt-bearer',
  'sep-2322-client-request-state',
  'http-standard-headers',
  'http-custom-headers',
  'http-invalid-tool-headers',
  'json-schema-ref-no-deref',
  'json-schema-2020-12-preservation',
  'sep-2640-client-no-prefetch',
  'sep-2640-client-verify-digest',
  'sep-2640-client-verify-size',
  'sep-2640-client-verify-frontmatter',
];

/** Which actions a conformance scenario needs: `initialize` only connects and lists; the others call every tool. */
export function scenarioCallsAll(scenario: string | undefined): boolean {
  // The step-up scenarios ask for more scope on tool calls.
  if (scenario === 'auth/scope-step-up' || scenario === 'auth/scope-retry-limit') return true;
  // The $ref scenario only lists (its server has no tools/call).
  return scenario !== undefined && scenario !== 'initialize' && scenario !== 'json-schema-ref-no-deref' && !scenario.startsWith('auth/');
}

export interface ScenarioCall {
  readonly tool: string;
  readonly args: Record<string, unknown>;
}

const MAX_CONTEXT_CALLS = 20;
const SCHEMA_ECHO_TOOL = 'json_schema_echo';

/**
 * The calls a scenario asks for, or undefined when it asks for none in particular (then every
 * listed tool is called). `toolCalls` in the context names tools and their arguments (the custom
 * header scenario); the schema preservation scenario wants the other tool's inputSchema echoed back
 * as the client received it.
 */
export function scenarioCalls(scenario: string | undefined, contextText: string | undefined, tools: readonly Tool[]): readonly ScenarioCall[] | undefined {
  if (scenario === undefined) return undefined;
  if (scenario === 'json-schema-2020-12-preservation' && tools.some((t) => t.name === SCHEMA_ECHO_TOOL)) {
    return tools.filter((t) => t.name !== SCHEMA_ECHO_TOOL).map((t) => ({ tool: SCHEMA_ECHO_TOOL, args: { schema: t.inputSchema } }));
  }
  let context: unknown;
  try {
    context = contextText ? JSON.parse(contextText) : undefined;
  } catch {
    return undefined;
  }
  if (!isRecord(context) || !Array.isArray(context.toolCalls)) return undefined;
  return context.toolCalls
    .slice(0, MAX_CONTEXT_CALLS)
    .filter((call): call is { name: string; arguments?: unknown } => isRecord(call) && typeof call.name === 'string')
    .map((call) => ({ tool: call.name, args: isRecord(call.arguments) ? call.arguments : {} }));
}
