/**
 * Picks the provider and model for a request: the provider set for the server (else the default
 * provider), then the model pinned for the server, else the server's `modelPreferences` hints (in
 * order, case-insensitive substrings of model ids/families/names), else its cost/speed/intelligence
 * priorities against per-model metadata, else the provider's default. The reason is shown to the user.
 */
import { MANUAL_PROVIDER_ID, MANUAL_MODEL_ID } from '../providers/manual';
import { SETTINGS } from '../settings';
import type { SamplingSettings } from './settings';
import type { ModelInfo, ProviderChoice, SamplingParams } from './types';

/** What is known about one provider when choosing. */
export type { ProviderCatalogEntry } from '../providers/types';
import type { ProviderCatalogEntry } from '../providers/types';

type Preferences = SamplingParams['modelPreferences'];

export const VSCODE_LM_PROVIDER_ID = 'vscode-lm';

function manualChoice(reason: string): ProviderChoice {
  return { providerId: MANUAL_PROVIDER_ID, model: MANUAL_MODEL_ID, reason };
}

/** Higher is better: cheap (low cost) when cost matters, fast, intelligent. Undefined when nothing to score. */
function priorityScore(model: ModelInfo, preferences: Preferences): number | undefined {
  const cost = preferences?.costPriority ?? 0;
  const speed = preferences?.speedPriority ?? 0;
  const intelligence = preferences?.intelligencePriority ?? 0;
  if (model.cost === undefined && model.speed === undefined && model.intelligence === undefined) return undefined;
  // Unknown metadata counts as middling (0.5) so it neither wins nor loses by default.
  return cost * (1 - (model.cost ?? 0.5)) + speed * (model.speed ?? 0.5) + intelligence * (model.intelligence ?? 0.5);
}

function hasPriorities(preferences: Preferences): boolean {
  return (preferences?.costPriority ?? 0) > 0 || (preferences?.speedPriority ?? 0) > 0 || (preferences?.intelligencePriority ?? 0) > 0;
}

/** The best-scoring model (first wins ties), or undefined when no model has metadata. */
function bestByPriorities(models: readonly ModelInfo[], preferences: Preferences): ModelInfo | undefined {
  let best: { model: ModelInfo; score: number } | undefined;
  for (const model of models) {
    const score = priorityScore(model, preferences);
    if (score !== undefined && (best === undefined || score > best.score)) best = { model, score };
  }
  return best?.model;
}

function describePriorities(preferences: Preferences): string {
  const parts: string[] = [];
  if (preferences?.costPriority) parts.push(`cost ${preferences.costPriority}`);
  if (preferences?.speedPriority) parts.push(`speed ${preferences.speedPriority}`);
  if (preferences?.intelligencePriority) parts.push(`intelligence ${preferences.intelligencePriority}`);
  return parts.join(', ');
}

function matchesHint(model: ModelInfo, hint: string): boolean {
  return [model.id, model.family, model.name].some((field) => field !== undefined && field.toLowerCase().includes(hint));
}

/** The model within one provider, with the reason. Undefined when the provider offers nothing at all. */
export function chooseModel(
  models: readonly ModelInfo[],
  preferences: Preferences,
  pinned: { readonly model: string; readonly setting: string } | undefined,
  defaultModel: string | undefined,
): { model: string; reason: string } | undefined {
  if (pinned) {
    const known = models.find((m) => m.id.toLowerCase() === pinned.model.toLowerCase());
    return { model: known?.id ?? pinned.model, reason: `pinned by ${pinned.setting}` };
  }
  for (const hint of preferences?.hints ?? []) {
    const wanted = hint.name?.trim().toLowerCase();
    if (!wanted) continue;
    const matches = models.filter((m) => matchesHint(m, wanted));
    if (matches.length === 0) continue;
    const chosen = (hasPriorities(preferences) ? bestByPriorities(matches, preferences) : undefined) ?? matches[0];
    if (chosen) return { model: chosen.id, reason: `hint "${hint.name}" matched ${chosen.id}` };
  }
  if (hasPriorities(preferences)) {
    const best = bestByPriorities(models, preferences);
    if (best) return { model: best.id, reason: `best for the server's priorities (${describePriorities(preferences)})` };
  }
  if (defaultModel) return { model: defaultModel, reason: 'the provider default model' };
  const first = models[0];
  return first ? { model: first.id, reason: 'the first available model' } : undefined;
}

export interface SelectionInput {
  readonly settings: SamplingSettings;
  readonly serverName: string;
  readonly preferences: Preferences;
  readonly catalog: readonly ProviderCatalogEntry[];
}

/** Provider then model; falls back to the manual reply when the wanted provider cannot answer. */
export function selectProviderAndModel(input: SelectionInput): ProviderChoice {
  const { settings, serverName, preferences, catalog } = input;
  const server = settings.serverSampling[serverName];
  const providerSetting = server?.provider !== undefined ? `${SETTINGS.serverSampling.id}["${serverName}"].provider` : SETTINGS.defaultProvider.id;
  const providerId = server?.provider ?? settings.defaultProvider;
  if (providerId === MANUAL_PROVIDER_ID) return manualChoice(`manual reply set by ${providerSetting}`);

  const entry = catalog.find((p) => p.id === providerId);
  if (!entry) return manualChoice(`provider "${providerId}" (${providerSetting}) is not configured; replying manually`);
  const pinned = server?.model ? { model: server.model, setting: `${SETTINGS.serverSampling.id}["${serverName}"].model` } : undefined;
  if (entry.id === VSCODE_LM_PROVIDER_ID && entry.models.length === 0) {
    return manualChoice(`${entry.label} has no language model available; replying manually`);
  }
  const model = chooseModel(entry.models, preferences, pinned, entry.defaultModel);
  if (!model) return manualChoice(`${entry.label} offers no model; replying manually`);
  return { providerId: entry.id, model: model.model, reason: `${entry.label} (${providerSetting}): ${model.reason}` };
}
