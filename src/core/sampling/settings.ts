/**
 * The `mcpSampling.*` settings the sampling pipeline reads, typed. Keys, defaults and validation live
 * in the one table of core/settings; src/vscode reads the editor's configuration through it and hands
 * the result over through `SamplingConfigSource`, per request, so a change applies at once.
 */
import type { ProviderSetting } from '../providers/types';
import { SETTINGS, readSetting, type RawSettingReader } from '../settings';
import type { ServerSamplingSetting } from '../settingValidators';
import type { ApprovalMode } from './types';

export type { ProviderSetting } from '../providers/types';
export type { ApprovedDefinition, ServerSamplingSetting } from '../settingValidators';

export interface SamplingLimits {
  readonly maxRequestBytes: number;
  readonly maxMessages: number;
  readonly maxTokensCap: number;
  readonly requestsPerMinute: number;
  readonly maxPendingPerServer: number;
}

export interface SamplingSettings {
  readonly approval: ApprovalMode;
  readonly paused: boolean;
  readonly reviewResponses: boolean;
  readonly defaultProvider: string;
  readonly providers: readonly ProviderSetting[];
  readonly serverSampling: Readonly<Record<string, ServerSamplingSetting>>;
  readonly limits: SamplingLimits;
  readonly history: { readonly maxEntries: number };
}

/** Where the pipeline reads settings; called per request so changes apply at once. */
export interface SamplingConfigSource {
  get(): SamplingSettings;
}

/** The pipeline's settings from raw values, each validated by its entry in the table (defaults for anything invalid). */
export function samplingSettingsFrom(raw: RawSettingReader): SamplingSettings {
  const read = <T>(setting: Parameters<typeof readSetting<T>>[0]): T => readSetting(setting, raw);
  return {
    approval: read(SETTINGS.approval),
    paused: read(SETTINGS.paused),
    reviewResponses: read(SETTINGS.reviewResponses),
    defaultProvider: read(SETTINGS.defaultProvider),
    providers: read(SETTINGS.providers),
    serverSampling: read(SETTINGS.serverSampling),
    limits: {
      maxRequestBytes: read(SETTINGS.maxRequestBytes),
      maxMessages: read(SETTINGS.maxMessages),
      maxTokensCap: read(SETTINGS.maxTokensCap),
      requestsPerMinute: read(SETTINGS.requestsPerMinute),
      maxPendingPerServer: read(SETTINGS.maxPendingPerServer),
    },
    history: { maxEntries: read(SETTINGS.historyMaxEntries) },
  };
}

/** Every sampling setting at its default (the table's), for the CLI and tests to start from. */
export const DEFAULT_SAMPLING_SETTINGS: SamplingSettings = samplingSettingsFrom(() => undefined);
