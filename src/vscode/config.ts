/**
 * The one place that reads `mcpSampling.*` settings. Sampling settings are re-read per request
 * (cheap, and changes apply at once); `affectsServers` tells which changes need a reconnect.
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION, SETTING_KEYS, fullSettingName, type SettingKey } from '../core/settingKeys';
import { normalizeSamplingSettings, type SamplingConfigSource, type SamplingSettings } from '../core/sampling/settings';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION);
}

export class VsCodeSamplingConfig implements SamplingConfigSource {
  get(): SamplingSettings {
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
}

export function readSetting<T>(key: SettingKey, fallback: T): T {
  return section().get<T>(key, fallback);
}

/** True when the change touches a setting that requires servers to be (re)connected. */
export function affectsServers(e: vscode.ConfigurationChangeEvent): boolean {
  return (Object.keys(SETTING_KEYS) as SettingKey[]).some((k) => SETTING_KEYS[k].reconnects && e.affectsConfiguration(fullSettingName(k)));
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
