/**
 * The providers that can answer, by id. The lead registers the vscode.lm provider; the entries of
 * `mcpSampling.providers` follow the settings through `syncFromSettings` (one factory per kind, see
 * factories.ts); the manual reply is always there, last. `catalog` lists every provider's models for
 * model selection and the approval panel, never failing as a whole when one provider does.
 */
import type { Disposable } from '../events';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import type { ModelInfo, ModelProvider, ProviderCatalogEntry, ProviderSetting } from './types';
import { ManualProvider } from './manual';

const LIST_TIMEOUT_MS = 10_000;

export class ProviderRegistry {
  private readonly providers = new Map<string, ModelProvider>();
  /** Ids registered from settings, so a settings change replaces exactly those. */
  private readonly fromSettings = new Set<string>();
  /** The answer when no model can give one: listed after every other provider, its id taken. */
  private readonly lastResort: ModelProvider = new ManualProvider();

  constructor(private readonly logger: Logger = silentLogger) {}

  register(provider: ModelProvider): Disposable {
    if (provider.id === this.lastResort.id) throw new Error(`"${provider.id}" is reserved for the manual reply`);
    this.providers.set(provider.id, provider);
    return { dispose: () => this.providers.get(provider.id) === provider && this.providers.delete(provider.id) };
  }

  get(id: string): ModelProvider | undefined {
    return this.providers.get(id) ?? (id === this.lastResort.id ? this.lastResort : undefined);
  }

  list(): readonly ModelProvider[] {
    return [...this.providers.values()];
  }

  /** Replaces the providers built from `mcpSampling.providers` (call on every settings change). */
  syncFromSettings(settings: readonly ProviderSetting[], create: (setting: ProviderSetting) => ModelProvider): void {
    for (const id of this.fromSettings) this.providers.delete(id);
    this.fromSettings.clear();
    for (const setting of settings) {
      if (setting.id === this.lastResort.id || (this.providers.has(setting.id) && !this.fromSettings.has(setting.id))) {
        this.logger.warn(`Provider id "${setting.id}" in mcpSampling.providers is already taken; entry ignored`);
        continue;
      }
      this.providers.set(setting.id, create(setting));
      this.fromSettings.add(setting.id);
    }
  }

  /** Every provider with its models (a provider that fails or hangs lists none), then the manual reply. */
  async catalog(signal: AbortSignal): Promise<ProviderCatalogEntry[]> {
    return Promise.all(
      [...this.providers.values(), this.lastResort].map(async (provider): Promise<ProviderCatalogEntry> => {
        // A cached list needs no timeout, listener or combined signal: that machinery per request was most of the catalog's cost.
        const models = provider.cachedModels?.() ?? (await this.listWithTimeout(provider, signal));
        return { id: provider.id, label: provider.label, models, ...(provider.defaultModel ? { defaultModel: provider.defaultModel } : {}) };
      }),
    );
  }
  private async listWithTimeout(provider: ModelProvider, outer: AbortSignal): Promise<readonly ModelInfo[]> {
    // A clearable timer rather than AbortSignal.timeout: this runs on every request, and pending
    // 10 s timers kept each request's objects alive long after it ended.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`no model list within ${LIST_TIMEOUT_MS / 1000} s`)), LIST_TIMEOUT_MS);
    const signal = AbortSignal.any([outer, timeout.signal]);
    let onAbort: (() => void) | undefined;
    try {
      // Race, because a provider that ignores its signal must not stall every request.
      return await Promise.race([
        provider.listModels(signal),
        new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (error) {
      if (outer.aborted) throw outer.reason;
      this.logger.warn(`${provider.label}: could not list models (${error instanceof Error ? error.message : String(error)})`);
      return [];
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }
}
