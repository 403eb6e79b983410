/**
 * The kinds of provider a `mcpSampling.providers` entry can be. kinds.json is the list: the settings
 * schema, the factories (factories.ts, one per kind, checked by the compiler), the build's vendor
 * bundles (scripts/build.mjs: the libraries a kind loads on first use) and the packaging test read it.
 */
import kindTable from './kinds.json';

export type ProviderKind = keyof typeof kindTable;

/** An entry without `kind` is an OpenAI-compatible endpoint, as every entry was before kinds. */
export const DEFAULT_PROVIDER_KIND: ProviderKind = 'openai-compatible';

export const PROVIDER_KINDS = Object.keys(kindTable) as readonly ProviderKind[];

export function isProviderKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && Object.hasOwn(kindTable, value);
}
