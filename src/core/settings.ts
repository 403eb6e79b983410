/**
 * Every `mcpSampling.*` setting, declared once (in the manner of copilot-chat's `defineSetting`): its key,
 * JSON type, default, validator, scope, whether a change needs the servers reconnected, and what the
 * Settings editor says of it. package.json's `contributes.configuration` properties and the README's
 * table are generated from it (`node scripts/settings-table.mjs --write`; unit tests check both),
 * src/vscode/config.ts reads values through it, and core names settings in its messages with `SETTINGS.x.id`.
 */
import type { ProviderSetting } from './providers/types';
import type { ApprovalMode } from './sampling/types';
import {
  approvalValue,
  booleanValue,
  numberInRange,
  objectValue,
  providersValue,
  serverSamplingValue,
  textValue,
  type Checked,
  type SchemaFacts,
  type ServerSamplingSetting,
  type SettingProblem,
  type ValueKind,
} from './settingValidators';
import { PROVIDER_ENTRY_SCHEMA, SERVER_DEFINITION_SCHEMA, SERVER_SAMPLING_SCHEMA, type JsonSchema } from './settingSchemas';

export const SETTINGS_SECTION = 'mcpSampling';

export interface SettingDefinition<T> {
  /** The key under `mcpSampling.`, e.g. `limits.maxMessages`. */
  readonly key: string;
  /** The full name, e.g. `mcpSampling.limits.maxMessages`: what the user searches for. */
  readonly id: string;
  readonly default: T;
  readonly schema: SchemaFacts;
  /** `machine` for what starts processes or opens ports; `application` for the rest. */
  readonly scope: 'application' | 'machine';
  /** A change reconnects the servers (definitions, where they come from). */
  readonly reconnects: boolean;
  /** The value to use for what the settings file holds (undefined: unset), and what was wrong with it. */
  check(raw: unknown): Checked<T>;
}

/** What package.json says of a setting besides the table's facts (Markdown). */
interface SettingDocs {
  readonly description: string;
  /** One per choice of an enum, in order. */
  readonly enumDescriptions?: readonly string[];
  readonly examples?: readonly unknown[];
  /** The JSON schema of an object's entries or a list's items. */
  readonly schema?: { readonly additionalProperties: JsonSchema } | { readonly items: JsonSchema };
}

function defineSetting<T>(key: string, kind: ValueKind<T>, defaultValue: T, options: { scope?: 'application' | 'machine'; reconnects?: boolean } = {}): SettingDefinition<T> {
  const id = `${SETTINGS_SECTION}.${key}`;
  return {
    key,
    id,
    default: defaultValue,
    schema: kind.schema,
    scope: options.scope ?? 'application',
    reconnects: options.reconnects ?? false,
    check: (raw) => kind.validate(raw, id, defaultValue),
  };
}

const machine = { scope: 'machine' } as const;

export const SETTINGS = {
  servers: defineSetting('servers', objectValue, {}, { scope: 'machine', reconnects: true }),
  readMcpJson: defineSetting('readMcpJson', booleanValue, true, { scope: 'machine', reconnects: true }),
  approval: defineSetting<ApprovalMode>('approval', approvalValue, 'ask'),
  paused: defineSetting('paused', booleanValue, false),
  reviewResponses: defineSetting('reviewResponses', booleanValue, true),
  defaultProvider: defineSetting('defaultProvider', textValue, 'vscode-lm'),
  providers: defineSetting<readonly ProviderSetting[]>('providers', providersValue, []),
  serverSampling: defineSetting<Readonly<Record<string, ServerSamplingSetting>>>('serverSampling', serverSamplingValue, {}),
  maxRequestBytes: defineSetting('limits.maxRequestBytes', numberInRange(1024), 20 * 1024 * 1024),
  maxMessages: defineSetting('limits.maxMessages', numberInRange(1), 500),
  maxTokensCap: defineSetting('limits.maxTokensCap', numberInRange(1), 16384),
  requestsPerMinute: defineSetting('limits.requestsPerMinute', numberInRange(1), 30),
  maxPendingPerServer: defineSetting('limits.maxPendingPerServer', numberInRange(1), 10),
  historyMaxEntries: defineSetting('history.maxEntries', numberInRange(0, { integer: 'floor' }), 1000),
  toolCallTimeoutSeconds: defineSetting('toolCallTimeoutSeconds', numberInRange(10), 600),
  gatewayEnabled: defineSetting('gateway.enabled', booleanValue, true, machine),
  gatewayPort: defineSetting('gateway.port', numberInRange(0, { max: 65535, integer: 'required' }), 0, machine),
  gatewayExposeMcpJsonServers: defineSetting('gateway.exposeMcpJsonServers', booleanValue, false, machine),
  // Read per request; a server with "llmEndpoint": true gets its environment when it next starts.
  llmEndpointEnabled: defineSetting('llmEndpoint.enabled', booleanValue, true, machine),
} as const;

export type SettingName = keyof typeof SETTINGS;

/**
 * What the Settings editor says of each setting, kept apart from the table above so the bundles,
 * which never show it, leave it out (esbuild drops what nothing at run time reads).
 */
const SETTING_DOCS: { readonly [K in SettingName]: SettingDocs } = {
  servers: {
    description: 'MCP servers to connect to, by name, in the same shape as the `servers` of VS Code\'s `mcp.json`: `{ "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }` or `{ "type": "http", "url": "http://localhost:3001/mcp" }`. Add `"disabled": true` to keep a definition without starting it, `"gateway": false` to keep it out of the gateway. `"protocol"` pins the MCP revision for a server that misbehaves (default `auto`: `server/discover`, 2026-07-28 where offered, else `initialize`). Machine-scoped because a definition starts a process.',
    schema: { additionalProperties: SERVER_DEFINITION_SCHEMA },
  },
  readMcpJson: {
    description: "Also connect the servers of the MCP config files you already have: each workspace folder's `.vscode/mcp.json` (`servers`) and `.mcp.json` (`mcpServers`, as Claude Code writes it), the user profile's `mcp.json`, and GitHub Copilot CLI's `mcp-config.json` (in `$COPILOT_HOME`, else `~/.copilot`). Workspace servers start only in a trusted workspace and after you allow each one; a workspace server cannot take the name of one of yours. Each server shows the file it comes from in the Servers view and on its requests.",
  },
  approval: {
    description: 'What to do when a server asks for a completion. Per-server overrides live in `#mcpSampling.serverSampling#`.',
    enumDescriptions: [
      'Show each request in the approval panel and wait for a decision.',
      'Answer without any human step (no review, unless `serverSampling["<name>"].reviewResponses` is true). Not for servers a workspace\'s `.vscode/mcp.json` defines: they are asked unless Always allow named their definition.',
      'Refuse every sampling request.',
    ],
  },
  paused: {
    description: 'Pause all sampling: every request is refused until this is turned off. Toggle with **MCP Sampling: Pause or Resume All Sampling**.',
  },
  reviewResponses: {
    description: "Let the user review, edit, regenerate or reject each answer to a request they approved before it goes back to the server. Requests answered without asking (`auto`, allowed for the session, Always allow) are not reviewed unless the server's `#mcpSampling.serverSampling#` entry sets `reviewResponses: true`.",
  },
  defaultProvider: {
    description: "The provider that answers requests: `vscode-lm` (the editor's language models, e.g. Copilot), `manual` (you type the reply), or the `id` of an entry in `#mcpSampling.providers#`. When `vscode-lm` has no model, `manual` is used.",
    examples: ['vscode-lm', 'manual'],
  },
  providers: {
    description: "OpenAI-compatible endpoints (OpenAI, OpenRouter, Ollama, LM Studio, vLLM, a LiteLLM proxy). API keys are never stored here: set them with **MCP Sampling: Set API Key…** (kept in the editor's secret storage).",
    schema: { items: PROVIDER_ENTRY_SCHEMA },
  },
  serverSampling: {
    description: 'Per-server sampling options, keyed by server name (whichever file defines the server): `approval`, `provider`, `model`, `maxTokens`, `requestsPerMinute`, `reviewResponses`. For a server a workspace\'s `.vscode/mcp.json` defines, `approval: "auto"` applies only with a `definition` naming it (Always allow writes one); the global `#mcpSampling.approval#` `auto` does not apply to such servers.',
    schema: { additionalProperties: SERVER_SAMPLING_SCHEMA },
  },
  maxRequestBytes: {
    description: 'The largest sampling request accepted, in bytes of JSON (default 20 MiB). Larger requests are refused with an error naming this setting.',
  },
  maxMessages: {
    description: 'The most messages one sampling request may carry.',
  },
  maxTokensCap: {
    description: 'An upper bound on the `maxTokens` a server may ask for; larger values are lowered to it.',
  },
  requestsPerMinute: {
    description: 'Sampling requests accepted per server per minute; more are refused until the window moves on.',
  },
  maxPendingPerServer: {
    description: 'Requests from one server that may wait for a person at once (for approval, for review of the answer, or for a typed reply); more are refused. Also bounds the elicitation cards one server may have open.',
  },
  historyMaxEntries: {
    description: 'How many past requests the history keeps (0 keeps none).',
  },
  toolCallTimeoutSeconds: {
    description: 'How long a tool call may run without progress before it is cancelled. Long, because a sampling approval inside it waits for you.',
  },
  gatewayEnabled: {
    description: "Run the gateway: an MCP server on `127.0.0.1` that offers the tools of your servers to agents (VS Code's agent mode, Claude Code, Cursor…), so every completion those servers ask for during a call comes to the approval panel. Callers need the gateway's token; see **MCP Sampling: Connect Another Client…** and the README's Security section.",
  },
  gatewayPort: {
    description: "The gateway's port on `127.0.0.1`. `0` picks a free port once and keeps it across restarts while it stays free (so configured clients keep working); set a port to pin it.",
  },
  gatewayExposeMcpJsonServers: {
    description: 'Also offer the servers of `mcp.json` files through the gateway. VS Code\'s own MCP client already runs those servers for its agent, so by default they are left to it; a server can also opt in with `"gateway": true`, or be moved here with **MCP Sampling: Move Server from mcp.json to Settings**. Workspace servers are never offered in an untrusted workspace.',
  },
  llmEndpointEnabled: {
    description: 'Offer the editor\'s models as an OpenAI-compatible API on the gateway (`http://127.0.0.1:<port>/v1`, while `#mcpSampling.gateway.enabled#`): every chat completion comes to the approval panel. Callers need a key of their own (**MCP Sampling: Connect Another Client…**); a server with `"llmEndpoint": true` gets `OPENAI_BASE_URL` and `OPENAI_API_KEY` in its environment. See the README\'s Security section.',
  },
};

export const ALL_SETTINGS: readonly SettingDefinition<unknown>[] = Object.values(SETTINGS);

/** Reads one setting's raw value (undefined when unset); the host passes the editor's configuration. */
export type RawSettingReader = (key: string) => unknown;

/** The validated value of `setting` (its default when unset or invalid). */
export function readSetting<T>(setting: SettingDefinition<T>, raw: RawSettingReader): T {
  return setting.check(raw(setting.key)).value;
}

/** What is wrong with the settings as they are, one entry per ignored value. */
export function settingProblems(raw: RawSettingReader): SettingProblem[] {
  return ALL_SETTINGS.flatMap((s) => s.check(raw(s.key)).problems);
}

/** A reader over plain values keyed like `limits.maxMessages` (the CLI, tests). */
export function rawSettingsFrom(values: Readonly<Record<string, unknown>>): RawSettingReader {
  return (key) => values[key];
}

/**
 * A setting as package.json's `contributes.configuration.properties` holds it, which
 * `node scripts/settings-table.mjs --write` generates from this table (a unit test checks it did).
 */
function manifestProperty(setting: SettingDefinition<unknown>, docs: SettingDocs): Record<string, unknown> {
  const { type, enum: choices, minimum, maximum } = setting.schema;
  return {
    type,
    scope: setting.scope,
    ...(choices ? { enum: choices } : {}),
    ...(docs.enumDescriptions ? { enumDescriptions: docs.enumDescriptions } : {}),
    default: setting.default,
    ...(minimum !== undefined ? { minimum } : {}),
    ...(maximum !== undefined ? { maximum } : {}),
    markdownDescription: docs.description,
    ...(docs.examples ? { examples: docs.examples } : {}),
    ...docs.schema,
  };
}

/** package.json's `contributes.configuration.properties`, in table order. */
export function manifestProperties(): Record<string, Record<string, unknown>> {
  return Object.fromEntries((Object.keys(SETTINGS) as SettingName[]).map((name) => [SETTINGS[name].id, manifestProperty(SETTINGS[name], SETTING_DOCS[name])]));
}

/**
 * The largest JSON-RPC message read from a server: twice the request limit (a request travels inside a
 * message with its envelope), between 64 and 512 MiB, so the pipeline can refuse big requests politely.
 */
export function maxMessageBytesFor(maxRequestBytes: number): number {
  return Math.max(64 * 1024 * 1024, Math.min(maxRequestBytes * 2, 512 * 1024 * 1024));
}
