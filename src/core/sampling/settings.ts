/**
 * The `mcpSampling.*` settings the sampling pipeline reads, typed, with the defaults of package.json.
 * src/vscode reads the workspace configuration and hands it over through `SamplingConfigSource`;
 * `normalizeSamplingSettings` turns whatever the user wrote into this shape (settings files are hand-edited).
 */
import { DEFAULT_PROVIDER_KIND, isProviderKind } from '../providers/kinds';
import type { ProviderModelSetting, ProviderSetting } from '../providers/types';
import type { ApprovalMode } from './types';

export type { ProviderModelSetting, ProviderSetting } from '../providers/types';

/** One value of `mcpSampling.serverSampling`, keyed by server name. */
export interface ServerSamplingSetting {
  readonly approval?: ApprovalMode;
  readonly provider?: string;
  readonly model?: string;
  readonly maxTokens?: number;
  readonly requestsPerMinute?: number;
  /** Review this server's answers (true even when approved automatically; false never). Unset: see reviewResponses. */
  readonly reviewResponses?: boolean;
}

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

/** Full setting names, used in error messages so the user knows what to change. */
export const SETTING = {
  approval: 'mcpSampling.approval',
  paused: 'mcpSampling.paused',
  reviewResponses: 'mcpSampling.reviewResponses',
  defaultProvider: 'mcpSampling.defaultProvider',
  providers: 'mcpSampling.providers',
  serverSampling: 'mcpSampling.serverSampling',
  maxRequestBytes: 'mcpSampling.limits.maxRequestBytes',
  maxMessages: 'mcpSampling.limits.maxMessages',
  maxTokensCap: 'mcpSampling.limits.maxTokensCap',
  requestsPerMinute: 'mcpSampling.limits.requestsPerMinute',
  maxPendingPerServer: 'mcpSampling.limits.maxPendingPerServer',
  historyMaxEntries: 'mcpSampling.history.maxEntries',
} as const;

export const DEFAULT_SAMPLING_SETTINGS: SamplingSettings = {
  approval: 'ask',
  paused: false,
  reviewResponses: true,
  defaultProvider: 'vscode-lm',
  providers: [],
  serverSampling: {},
  limits: {
    maxRequestBytes: 20971520,
    maxMessages: 500,
    maxTokensCap: 16384,
    requestsPerMinute: 30,
    maxPendingPerServer: 10,
  },
  history: { maxEntries: 1000 },
};

/** The raw values as the editor's configuration holds them (src/vscode/config.ts reads them). */
export interface RawSamplingSettings {
  readonly approval?: unknown;
  readonly paused?: unknown;
  readonly reviewResponses?: unknown;
  readonly defaultProvider?: unknown;
  readonly providers?: unknown;
  readonly serverSampling?: unknown;
  readonly limits?: {
    readonly maxRequestBytes?: unknown;
    readonly maxMessages?: unknown;
    readonly maxTokensCap?: unknown;
    readonly requestsPerMinute?: unknown;
    readonly maxPendingPerServer?: unknown;
  };
  readonly history?: { readonly maxEntries?: unknown };
}

const APPROVAL_MODES: readonly ApprovalMode[] = ['ask', 'auto', 'deny'];
const PROVIDER_ID = /^[A-Za-z0-9_.-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function approvalOr(value: unknown, fallback: ApprovalMode): ApprovalMode;
function approvalOr(value: unknown, fallback: undefined): ApprovalMode | undefined;
function approvalOr(value: unknown, fallback: ApprovalMode | undefined): ApprovalMode | undefined {
  return typeof value === 'string' && (APPROVAL_MODES as readonly string[]).includes(value) ? (value as ApprovalMode) : fallback;
}

function boolOr(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function stringOr<T extends string | undefined>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

/** A number at least `min` (settings may hold strings, NaN or negatives), else the fallback. */
function numberAtLeast<T extends number | undefined>(value: unknown, min: number, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

function unitOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

function normalizeModel(value: unknown): ProviderModelSetting | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '') return undefined;
  return {
    id: value.id,
    cost: unitOrUndefined(value.cost),
    speed: unitOrUndefined(value.speed),
    intelligence: unitOrUndefined(value.intelligence),
    maxInputTokens: numberAtLeast(value.maxInputTokens, 1, undefined),
  };
}

function normalizeProvider(value: unknown): ProviderSetting | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || !PROVIDER_ID.test(value.id)) return undefined;
  if (typeof value.baseUrl !== 'string' || value.baseUrl.trim() === '') return undefined;
  // An entry of a kind this version does not know is left out rather than guessed at.
  const kind = value.kind === undefined ? DEFAULT_PROVIDER_KIND : isProviderKind(value.kind) ? value.kind : undefined;
  if (kind === undefined) return undefined;
  const models = Array.isArray(value.models) ? value.models.map(normalizeModel).filter((m) => m !== undefined) : undefined;
  return {
    kind,
    id: value.id,
    label: stringOr(value.label, undefined),
    baseUrl: value.baseUrl.trim(),
    defaultModel: stringOr(value.defaultModel, undefined),
    headers: stringRecord(value.headers),
    models,
  };
}

function normalizeServerSampling(value: unknown): Record<string, ServerSamplingSetting> {
  const out: Record<string, ServerSamplingSetting> = {};
  if (!isRecord(value)) return out;
  for (const [name, entry] of Object.entries(value)) {
    if (!isRecord(entry)) continue;
    out[name] = {
      approval: approvalOr(entry.approval, undefined),
      provider: stringOr(entry.provider, undefined),
      model: stringOr(entry.model, undefined),
      maxTokens: numberAtLeast(entry.maxTokens, 1, undefined),
      requestsPerMinute: numberAtLeast(entry.requestsPerMinute, 1, undefined),
      ...(typeof entry.reviewResponses === 'boolean' ? { reviewResponses: entry.reviewResponses } : {}),
    };
  }
  return out;
}

/** Turns raw, possibly hand-mangled setting values into `SamplingSettings`, using defaults for anything invalid. */
export function normalizeSamplingSettings(raw: RawSamplingSettings): SamplingSettings {
  const d = DEFAULT_SAMPLING_SETTINGS;
  const limits = raw.limits ?? {};
  const seen = new Set<string>();
  const providers = (Array.isArray(raw.providers) ? raw.providers : [])
    .map(normalizeProvider)
    .filter((p): p is ProviderSetting => p !== undefined && !seen.has(p.id) && seen.add(p.id) !== undefined);
  return {
    approval: approvalOr(raw.approval, d.approval),
    paused: boolOr(raw.paused, d.paused),
    reviewResponses: boolOr(raw.reviewResponses, d.reviewResponses),
    defaultProvider: stringOr(raw.defaultProvider, d.defaultProvider),
    providers,
    serverSampling: normalizeServerSampling(raw.serverSampling),
    limits: {
      maxRequestBytes: numberAtLeast(limits.maxRequestBytes, 1024, d.limits.maxRequestBytes),
      maxMessages: numberAtLeast(limits.maxMessages, 1, d.limits.maxMessages),
      maxTokensCap: numberAtLeast(limits.maxTokensCap, 1, d.limits.maxTokensCap),
      requestsPerMinute: numberAtLeast(limits.requestsPerMinute, 1, d.limits.requestsPerMinute),
      maxPendingPerServer: numberAtLeast(limits.maxPendingPerServer, 1, d.limits.maxPendingPerServer),
    },
    history: { maxEntries: Math.floor(numberAtLeast(raw.history?.maxEntries, 0, d.history.maxEntries)) },
  };
}
