/**
 * `/v1/models`: the models the user offers (the editor's and the configured providers'), and the
 * check that a requested model names one of them, matched as `modelPreferences.hints` are
 * (case-insensitive substring of id, family or name). "auto" and "default" leave the choice to the
 * settings.
 */
import { MANUAL_PROVIDER_ID } from '../../providers/manual';
import type { ProviderCatalogEntry } from '../../providers/types';

export const ANY_MODEL_NAMES: readonly string[] = ['auto', 'default'];

export interface OpenAiModel {
  readonly id: string;
  readonly object: 'model';
  readonly created: number;
  readonly owned_by: string;
}

export function listModels(catalog: readonly ProviderCatalogEntry[]): { object: 'list'; data: OpenAiModel[] } {
  const seen = new Set<string>();
  const data: OpenAiModel[] = [];
  for (const provider of catalog) {
    if (provider.id === MANUAL_PROVIDER_ID) continue;
    for (const model of provider.models) {
      if (seen.has(model.id)) continue;
      seen.add(model.id);
      data.push({ id: model.id, object: 'model', created: 0, owned_by: provider.label });
    }
  }
  return { object: 'list', data };
}

export function modelIsOffered(requested: string, catalog: readonly ProviderCatalogEntry[]): boolean {
  const wanted = requested.trim().toLowerCase();
  if (wanted === '' || ANY_MODEL_NAMES.includes(wanted)) return true;
  return catalog.some((p) => p.models.some((m) => [m.id, m.family, m.name].some((field) => field !== undefined && field.toLowerCase().includes(wanted))));
}
