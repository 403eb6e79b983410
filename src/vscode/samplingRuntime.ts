/**
 * Builds the sampling pipeline and its providers. Imported lazily by extension.ts on the first
 * sampling request, so activation does not load the MCP SDK's schemas or `openai`.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../core/lifetime';
import type { Logger } from '../core/logger';
import { createSamplingStack } from '../core/sampling/stack';
import { SamplingPolicy } from '../core/sampling/policy';
import { ProviderRegistry } from '../core/providers/registry';
import { createProvider } from '../core/providers/factories';
import type { HistorySink } from '../core/history/history';
import type { ApprovedDefinition } from '../core/sampling/settings';
import type { ApprovalPrompter } from '../core/sampling/types';
import type { SamplingHandler } from '../core/mcp/types';
import { VsCodeSamplingConfig, onDidChangeSettings, persistAlwaysAllow } from './config';
import { VsCodeLmProvider } from './lmProvider';
import type { ApiKeyStore } from '../core/providers/apiKeyStore';
import { ObservedPrompter, type SamplingRun } from '../core/gateway/openai/observedPrompter';
import type { ProviderCatalogEntry } from '../core/providers/types';

export interface SamplingRuntimeOptions {
  readonly logger: Logger;
  readonly prompter: ApprovalPrompter;
  readonly apiKeys: ApiKeyStore;
  /** Every secret known now (API keys, `${input:}` values), scrubbed from errors sent to servers. */
  readonly secrets: () => readonly string[];
  readonly serverSource: (serverName: string) => string;
  /** The definition of a server a workspace defines, which approvals must name (core/sampling/approvalScope). */
  readonly workspaceDefinition?: (serverName: string) => ApprovedDefinition | undefined;
  /** The window's one history (shared with the History view). */
  readonly history: HistorySink;
  /** Whether `sampling.tools` was declared to servers (ClientFeatures): tool-use requests are refused otherwise. */
  readonly clientSupportsTools: (serverName: string) => boolean;
}

export interface SamplingRuntime extends vscode.Disposable {
  /** Server-initiated `sampling/createMessage` (MCP 2025-11-25). */
  readonly handler: SamplingHandler;
  /** Sampling carried in an `input_required` result (MCP 2026-07-28 rounds). */
  readonly inputRequiredHandler: SamplingHandler;
  /** The OpenAI-compatible endpoint's completions: the same pipeline, its requests observed (streamed text, usage). */
  readonly llm: {
    readonly run: SamplingRun;
    readonly catalog: (signal: AbortSignal) => Promise<readonly ProviderCatalogEntry[]>;
    readonly reviewsAnswer: (serverName: string, approvedByPerson: boolean) => boolean;
  };
}

export function createSamplingRuntime(options: SamplingRuntimeOptions): SamplingRuntime {
  const { logger } = options;
  const config = new VsCodeSamplingConfig();
  const registry = new ProviderRegistry(logger);
  // The runtime's lifetime: the provider registrations and the settings listener end with it.
  const owned = new DisposableStore();

  const lmProvider = new VsCodeLmProvider(logger);
  const lm = registry.register(lmProvider);
  const syncProviders = () =>
    registry.syncFromSettings(config.get().providers, (setting) => createProvider(setting, { getApiKey: (id) => options.apiKeys.get(id), logger }));
  syncProviders();
  owned.add(lm);
  owned.add(lmProvider);
  owned.add(onDidChangeSettings(['providers'], syncProviders));

  const observed = new ObservedPrompter(options.prompter);
  const { handler, inputRequiredHandler, pipeline } = createSamplingStack({
    serverSource: options.serverSource,
    config,
    providers: registry,
    prompter: observed,
    history: options.history,
    clientSupportsTools: options.clientSupportsTools,
    logger,
    policy: new SamplingPolicy(),
    secrets: options.secrets,
    ...(options.workspaceDefinition ? { workspaceDefinition: options.workspaceDefinition } : {}),
    persistAlwaysAllow: (server) =>
      persistAlwaysAllow(server).catch((error: unknown) => {
        // Most often a settings.json VS Code cannot parse: say so where the user looks (the pipeline logs it too).
        void vscode.window
          .showWarningMessage(
            vscode.l10n.t('"Always allow" for {0} could not be saved, so it lasts for this session only: {1}', server.serverName, error instanceof Error ? error.message : String(error)),
            vscode.l10n.t('Open Settings (JSON)'),
          )
          .then((choice) => (choice ? vscode.commands.executeCommand('workbench.action.openSettingsJson') : undefined));
        throw error;
      }),
  });
  const llm = {
    run: ((params, ctx, observer) => observed.observe(ctx.requestId, observer, () => pipeline(params, ctx))) satisfies SamplingRun,
    catalog: (signal: AbortSignal) => registry.catalog(signal),
    reviewsAnswer: (serverName: string, approvedByPerson: boolean) => SamplingPolicy.reviewsAnswer(config.get(), serverName, approvedByPerson),
  };
  return { handler, inputRequiredHandler, llm, dispose: () => owned.dispose() };
}
