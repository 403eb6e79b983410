/**
 * The one module that reads and writes `mcpSampling.*` settings (the rust-analyzer `Config` pattern):
 * typed getters that validate what a hand-edited settings file holds, the writes the extension makes,
 * and which keys need the servers reconnected (SETTING_KEYS in core/settingKeys, checked against
 * package.json by a unit test). Nothing else calls `getConfiguration('mcpSampling')`.
 * Values are read when needed (cheap, and a change applies at once).
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION, SETTING_KEYS, fullSettingName, type SettingKey } from '../core/settingKeys';
import { DEFAULT_SAMPLING_SETTINGS, normalizeSamplingSettings, type SamplingConfigSource, type SamplingSettings } from '../core/sampling/settings';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

function numberAtLeast(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/** Everything the sampling pipeline reads, normalized. */
export function samplingSettings(): SamplingSettings {
  const c = section();
  return normalizeSamplingSettings({
    approval: c.get('approval'),
    paused: c.get('paused'),
    reviewResponses: c.get('reviewResponses'),
    defaultProvider: c.get('defaultProvider'),
    providers: c.get('providers'),
    serverSampling: c.get('serverSampling'),
    limits: {
      maxRequestBytes: c.get('limits.maxRequestBytes'),
      maxMessages: c.get('limits.maxMessages'),
      maxTokensCap: c.get('limits.maxTokensCap'),
      requestsPerMinute: c.get('limits.requestsPerMinute'),
      maxPendingPerServer: c.get('limits.maxPendingPerServer'),
    },
    history: { maxEntries: c.get('history.maxEntries') },
  });
}

export class VsCodeSamplingConfig implements SamplingConfigSource {
  get(): SamplingSettings {
    return samplingSettings();
  }
}

export interface GatewaySettings {
  readonly enabled: boolean;
  /** 0: a free port (the last one reused while free). */
  readonly port: number;
  readonly exposeMcpJsonServers: boolean;
  /** `mcpSampling.llmEndpoint.enabled`: the OpenAI-compatible routes on the gateway. */
  readonly llmEndpointEnabled: boolean;
}

export function readGatewaySettings(): GatewaySettings {
  const c = section();
  const port = c.get<number>('gateway.port', 0);
  return {
    enabled: c.get<boolean>('gateway.enabled', true) !== false,
    port: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 0,
    exposeMcpJsonServers: c.get<boolean>('gateway.exposeMcpJsonServers', false) === true,
    llmEndpointEnabled: c.get<boolean>('llmEndpoint.enabled', true) !== false,
  };
}

/** `mcpSampling.history.maxEntries` (0 keeps none). */
export function historyMaxEntries(): number {
  return Math.floor(numberAtLeast(section().get('history.maxEntries'), 0, DEFAULT_SAMPLING_SETTINGS.history.maxEntries));
}

/** `mcpSampling.toolCallTimeoutSeconds`, at least 10. */
export function toolCallTimeoutSeconds(): number {
  return numberAtLeast(section().get('toolCallTimeoutSeconds'), 10, 600);
}

/**
 * The largest JSON-RPC message read from a server: twice the request limit (a request travels inside a
 * message with its envelope), between 64 and 512 MiB.
 */
export function maxMessageBytes(): number {
  const limit = numberAtLeast(section().get('limits.maxRequestBytes'), 1, DEFAULT_SAMPLING_SETTINGS.limits.maxRequestBytes);
  return Math.max(64 * 1024 * 1024, Math.min(limit * 2, 512 * 1024 * 1024));
}

/** The raw `mcpSampling.servers` object (parsed and validated by core/config/mcpJson). */
export function serverDefinitions(): unknown {
  return section().get<unknown>('servers', {});
}

/** `mcpSampling.readMcpJson`. */
export function readMcpJson(): boolean {
  return section().get<unknown>('readMcpJson', true) !== false;
}

export function paused(): boolean {
  return section().get<unknown>('paused', false) === true;
}

export async function setPaused(value: boolean): Promise<void> {
  await section().update('paused', value, vscode.ConfigurationTarget.Global);
}

/** The user-level `mcpSampling.servers` only, so workspace or default entries are never copied into it. */
export function userServerDefinitions(): Record<string, unknown> {
  const value = section().inspect<Record<string, unknown>>('servers')?.globalValue;
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
}

export async function setUserServerDefinitions(servers: Record<string, unknown>): Promise<void> {
  await section().update('servers', servers, vscode.ConfigurationTarget.Global);
}

/** True when the change touches a setting that requires servers to be (re)connected. */
export function needsReconnect(e: vscode.ConfigurationChangeEvent): boolean {
  return (Object.keys(SETTING_KEYS) as SettingKey[]).some((k) => SETTING_KEYS[k].reconnects && e.affectsConfiguration(fullSettingName(k)));
}

/** Calls `listener` when one of `keys` changes. */
export function onDidChangeSettings(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (keys.some((k) => e.affectsConfiguration(fullSettingName(k)))) listener();
  });
}

/**
 * Writes `serverSampling[server].approval = "auto"` at the settings level where it already lives
 * (workspace or user), defaulting to the user level.
 */
export async function persistAlwaysAllow(serverName: string): Promise<void> {
  const c = section();
  const inspected = c.inspect<Record<string, unknown>>('serverSampling');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
  const entry = (current[serverName] as Record<string, unknown> | undefined) ?? {};
  await c.update('serverSampling', { ...current, [serverName]: { ...entry, approval: 'auto' } }, target);
}
