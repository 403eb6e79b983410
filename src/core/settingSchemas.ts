/**
 * The JSON schemas of the settings whose values are objects (a server definition, a provider entry,
 * a server's sampling overrides): what the Settings editor completes and checks, written into
 * package.json by `node scripts/settings-table.mjs --write` with the rest of each setting (core/settings).
 * The enums that core defines (provider kinds, protocol pins and their descriptions) come from their one definition.
 */
import { PROTOCOL_PIN_DESCRIPTIONS, PROTOCOL_PINS } from './config/serverDefinition';
import { DEFAULT_PROVIDER_KIND, PROVIDER_KINDS } from './providers/kinds';

/** A JSON schema fragment, as package.json holds it. */
export type JsonSchema = { readonly [key: string]: unknown };

/** One entry of `mcpSampling.servers` (parsed by core/config/serverDefinition.ts). */
export const SERVER_DEFINITION_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    type: {
      type: 'string',
      enum: ['stdio', 'http', 'sse'],
      enumDescriptions: [
        'A local process spoken to over stdin/stdout.',
        'A Streamable HTTP endpoint (falls back to SSE when refused).',
        'A legacy HTTP+SSE endpoint.',
      ],
    },
    command: { type: 'string', markdownDescription: 'The program to start (stdio).' },
    args: { type: 'array', items: { type: 'string' }, markdownDescription: 'Its arguments (stdio).' },
    env: {
      type: 'object',
      additionalProperties: { type: ['string', 'null'] },
      markdownDescription: 'Environment variables, merged over a safe default environment (stdio).',
    },
    envFile: { type: 'string', markdownDescription: 'A `.env` file whose variables are added (stdio).' },
    cwd: { type: 'string', markdownDescription: 'The working directory (stdio).' },
    url: { type: 'string', markdownDescription: 'The endpoint (http, sse).' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      markdownDescription: 'HTTP headers (http, sse). Use `${input:id}` for secrets.',
    },
    disabled: { type: 'boolean', markdownDescription: 'Keep the definition but do not start it.' },
    protocol: {
      type: 'string',
      default: 'auto',
      enum: PROTOCOL_PINS,
      enumDescriptions: PROTOCOL_PIN_DESCRIPTIONS,
      markdownDescription: "Which MCP revision to speak with this server. `auto` (the default) discovers it per server; pin one only for a server that misbehaves. The revision in use shows in the Servers view and on each request's card.",
    },
    gateway: {
      type: 'boolean',
      markdownDescription: "Offer this server's tools to agents through the gateway (`#mcpSampling.gateway.enabled#`). Default: yes for servers defined here. `false` hides it.",
    },
    llmEndpoint: {
      type: 'boolean',
      default: false,
      markdownDescription: "For a server that calls an LLM directly (an OpenAI SDK): start it with `OPENAI_BASE_URL` (the gateway's `/v1`) and an `OPENAI_API_KEY` of its own, so each completion it asks for comes to the approval panel under its name, with its `#mcpSampling.serverSampling#` settings. stdio servers only; needs `#mcpSampling.llmEndpoint.enabled#`.",
    },
  },
};

/** One entry of `mcpSampling.providers` (checked by providersValue, settingValidators.ts). */
export const PROVIDER_ENTRY_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'baseUrl'],
  properties: {
    kind: {
      type: 'string',
      enum: PROVIDER_KINDS,
      default: DEFAULT_PROVIDER_KIND,
      markdownDescription: "What the endpoint speaks: `openai-compatible` (the default) for OpenAI's chat completions API.",
    },
    id: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.-]+$',
      markdownDescription: 'A short id used by `#mcpSampling.defaultProvider#` and per-server settings.',
    },
    label: { type: 'string', markdownDescription: 'A display name.' },
    baseUrl: {
      type: 'string',
      markdownDescription: 'The API base URL, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.',
    },
    defaultModel: { type: 'string', markdownDescription: 'The model used when no hint matches.' },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      markdownDescription: 'Extra HTTP headers (not for keys).',
    },
    models: {
      type: 'array',
      markdownDescription: 'Known models with metadata for `modelPreferences` priorities (each 0–1).',
      items: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          cost: { type: 'number', minimum: 0, maximum: 1 },
          speed: { type: 'number', minimum: 0, maximum: 1 },
          intelligence: { type: 'number', minimum: 0, maximum: 1 },
          maxInputTokens: { type: 'number' },
        },
      },
    },
  },
};

/** One server's entry of `mcpSampling.serverSampling` (checked by serverSamplingValue, settingValidators.ts). */
export const SERVER_SAMPLING_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    approval: {
      type: 'string',
      enum: ['ask', 'auto', 'deny'],
      enumDescriptions: ['Ask each time.', 'Answer without asking.', 'Refuse.'],
    },
    provider: { type: 'string', markdownDescription: 'A provider id (see `#mcpSampling.defaultProvider#`).' },
    model: { type: 'string', markdownDescription: 'A model pinned for this server.' },
    maxTokens: { type: 'number', minimum: 1, markdownDescription: 'A cap on `maxTokens` for this server.' },
    requestsPerMinute: { type: 'number', minimum: 1, markdownDescription: 'A rate limit for this server.' },
    reviewResponses: {
      type: 'boolean',
      markdownDescription: "Review this server's answers before they go back: `true` even when approved automatically, `false` never. Unset: `#mcpSampling.reviewResponses#` for answers you approved.",
    },
    definition: {
      type: 'object',
      markdownDescription: 'Written by **Always allow** for a server a workspace defines: the `.vscode/mcp.json` (`source`) and the fingerprint of the definition you allowed. `approval: "auto"` answers a workspace server without asking only when this names its current definition; another repository\'s server of the same name, or this one after its definition changes, is asked.',
      properties: { source: { type: 'string' }, fingerprint: { type: 'string' } },
    },
  },
};
