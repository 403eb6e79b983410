/**
 * The one module that reads and writes `mcpSampling.*` settings (the rust-analyzer `Config` pattern):
 * values go through the table of core/settings (key, default, validator, reconnects), which a unit
 * test checks against package.json. Nothing else calls `getConfiguration('mcpSampling')`.
 * Values are read when needed (cheap, and a change applies at once).
 */
import * as vscode from 'vscode';
import { ALL_SETTINGS, SETTINGS, SETTINGS_SECTION, maxMessageBytesFor, readSetting, settingProblems, type SettingDefinition, type SettingName } from '../core/settings';
import type { SettingProblem } from '../core/settingValidators';
import { alwaysAllowEntry, type RequestServer } from '../core/sampling/approvalScope';
import { samplingSettingsFrom, type SamplingConfigSource, type SamplingSettings } from '../core/sampling/settings';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

/**
 * The value as the editor resolves it (package.json's default when unset, equal to the table's). `get`,
 * not `inspect`: the editor ignores workspace values of application- and machine-scoped settings, so a
 * cloned repository cannot turn approval off.
 */
function rawValue(key: string): unknown {
  return section().get<unknown>(key);
}

/** One setting's validated value. */
export function read<T>(setting: SettingDefinition<T>): T {
  return readSetting(setting, rawValue);
}

/** What is wrong with the settings as the user wrote them (see settingProblems.ts for the wording). */
export function currentSettingProblems(): SettingProblem[] {
  return settingProblems(rawValue);
}

/** Everything the sampling pipeline reads, validated. */
export function samplingSettings(): SamplingSettings {
  return samplingSettingsFrom(rawValue);
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
  return {
    enabled: read(SETTINGS.gatewayEnabled),
    port: read(SETTINGS.gatewayPort),
    exposeMcpJsonServers: read(SETTINGS.gatewayExposeMcpJsonServers),
    llmEndpointEnabled: read(SETTINGS.llmEndpointEnabled),
  };
}

/** `mcpSampling.history.maxEntries` (0 keeps none). */
export function historyMaxEntries(): number {
  return read(SETTINGS.historyMaxEntries);
}

/** `mcpSampling.toolCallTimeoutSeconds`, at least 10. */
export function toolCallTimeoutSeconds(): number {
  return read(SETTINGS.toolCallTimeoutSeconds);
}

/** The largest JSON-RPC message read from a server (derived from `limits.maxRequestBytes`). */
export function maxMessageBytes(): number {
  return maxMessageBytesFor(read(SETTINGS.maxRequestBytes));
}

/** The raw `mcpSampling.servers` object (parsed and validated by core/config/mcpJson). */
export function serverDefinitions(): unknown {
  return read(SETTINGS.servers);
}

/** `mcpSampling.readMcpJson`. */
export function readMcpJson(): boolean {
  return read(SETTINGS.readMcpJson);
}

export function paused(): boolean {
  return read(SETTINGS.paused);
}

export async function setPaused(value: boolean): Promise<void> {
  await section().update(SETTINGS.paused.key, value, vscode.ConfigurationTarget.Global);
}

/** The user-level `mcpSampling.servers` only, so workspace or default entries are never copied into it. */
export function userServerDefinitions(): Record<string, unknown> {
  const value = section().inspect<Record<string, unknown>>(SETTINGS.servers.key)?.globalValue;
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
}

export async function setUserServerDefinitions(servers: Record<string, unknown>): Promise<void> {
  await section().update(SETTINGS.servers.key, servers, vscode.ConfigurationTarget.Global);
}

/** True when the change touches a setting that requires servers to be (re)connected. */
export function needsReconnect(e: vscode.ConfigurationChangeEvent): boolean {
  return ALL_SETTINGS.some((s) => s.reconnects && e.affectsConfiguration(s.id));
}

/** Calls `listener` when one of the named settings changes. */
export function onDidChangeSettings(names: readonly SettingName[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (names.some((name) => e.affectsConfiguration(SETTINGS[name].id))) listener();
  });
}

/** Calls `listener` when any `mcpSampling.*` setting changes. */
export function onDidChangeAnySetting(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTINGS_SECTION)) listener();
  });
}

/**
 * Writes `serverSampling[server].approval = "auto"` at the settings level where it already lives
 * (workspace or user), defaulting to the user level; for a workspace server it names the definition
 * allowed (core/sampling/approvalScope).
 */
export async function persistAlwaysAllow(server: RequestServer): Promise<void> {
  const c = section();
  const inspected = c.inspect<Record<string, unknown>>(SETTINGS.serverSampling.key);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
  const entry = current[server.serverName] as Record<string, unknown> | undefined;
  await c.update(SETTINGS.serverSampling.key, { ...current, [server.serverName]: alwaysAllowEntry(entry, server) }, target);
}
