/**
 * Every `mcpSampling.*` setting, declared once (in the manner of copilot-chat's `defineSetting`): its key,
 * JSON type, default, validator, scope and whether a change needs the servers reconnected.
 * package.json's `contributes.configuration` is checked against this table by a unit test (and the
 * README's table is generated from package.json), src/vscode/config.ts reads values through it, and
 * core names settings in its messages with `SETTINGS.x.id`.
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
 * The largest JSON-RPC message read from a server: twice the request limit (a request travels inside a
 * message with its envelope), between 64 and 512 MiB, so the pipeline can refuse big requests politely.
 */
export function maxMessageBytesFor(maxRequestBytes: number): number {
  return Math.max(64 * 1024 * 1024, Math.min(maxRequestBytes * 2, 512 * 1024 * 1024));
}
