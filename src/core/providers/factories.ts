/**
 * One factory per provider kind (kinds.json): what a `mcpSampling.providers` entry becomes. Adding a
 * kind to kinds.json without a factory here does not compile.
 */
import type { Logger } from '../logger';
import { DEFAULT_PROVIDER_KIND, type ProviderKind } from './kinds';
import { createOpenAiCompatibleProvider } from './openaiCompatible';
import type { ModelProvider, ProviderSetting } from './types';

export interface ProviderFactoryDeps {
  /** Read per request, so a key set while running applies at once. Undefined means "no key" (local servers). */
  readonly getApiKey: (providerId: string) => Promise<string | undefined>;
  readonly logger?: Logger;
}

type ProviderFactory = (setting: ProviderSetting, deps: ProviderFactoryDeps) => ModelProvider;

const FACTORIES: { readonly [K in ProviderKind]: ProviderFactory } = {
  'openai-compatible': (setting, deps) =>
    createOpenAiCompatibleProvider({ setting, getApiKey: () => deps.getApiKey(setting.id), ...(deps.logger ? { logger: deps.logger } : {}) }),
};

export function createProvider(setting: ProviderSetting, deps: ProviderFactoryDeps): ModelProvider {
  return FACTORIES[setting.kind ?? DEFAULT_PROVIDER_KIND](setting, deps);
}
