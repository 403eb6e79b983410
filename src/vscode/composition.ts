/**
 * The composition root: every long-lived object of the extension is built here, once, and wired to
 * the others. Reading it top to bottom tells what the extension is made of:
 *   secrets + logger → settings-driven panel (approval sessions) → client features (sampling handler
 *   and its tools flag, elicitation, tasks, OAuth) → servers (ConnectionManager) → views, history,
 *   gateway, walkthrough → the public API.
 * It is its own bundle (dist/lazy-main.js), which activate() loads after yielding once (src/extension.ts).
 * The MCP SDK and `openai` load lazily: the connection code imports the SDK on first connect, and the
 * sampling pipeline (SDK schemas, providers) is imported on the first sampling request.
 */
import * as vscode from 'vscode';
import * as l10n from '@vscode/l10n';
import type { McpSamplingApi } from '../api';
import type { SamplingHandler } from '../core/mcp/types';
import { createElicitationHandler } from '../core/mcp/protocolExtensions';
import { DisposableStore } from '../core/lifetime';
import { SecretRegistry } from '../core/secrets';
import { ApiKeyStore } from '../core/providers/apiKeyStore';
import { registerSetApiKeyCommand } from './apiKeys';
import type { ClientFeatures } from './clientFeatures';
import * as settings from './config';
import { registerGateway } from './gateway';
import { LlmCallerKeys } from '../core/gateway/openai/callerKeys';
import { llmEndpointEnvironment } from './gateway/llmEndpoint';
import type { LlmEnvironmentSource } from '../core/gateway/openai/serverEnvironment';
import { registerHistory } from './history';
import { APPROVAL_PANEL_VIEW_TYPE, ApprovalPanelController } from './panel/approvalPanel';
import { RedactingLogger } from './redactingLogger';
import type { SamplingRuntime } from './samplingRuntime';
import { apiCallTool, createServerServices, registerOAuth, registerServers, toServerSnapshot } from './servers';
import { reportSettingProblems } from './settingProblems';
import { createPausedStatusBarItem, createPendingStatusBarItem } from './statusBar';
import { registerWalkthrough } from './walkthrough/demoCommands';

export interface ComposedExtension {
  readonly api: McpSamplingApi;
  /** Stops every server and waits for their process trees (deactivate awaits it). */
  stop(): Promise<void>;
}

export interface CompositionOptions {
  /** performance.now() when loading the composition began; the log line says how long it took. */
  readonly loadStartedAt?: number;
  /** The time activation spent in our code before it yielded (src/extension.ts), for the same line. */
  readonly activationOwnMs?: number;
}

export function composeExtension(context: vscode.ExtensionContext, options: CompositionOptions = {}): ComposedExtension {
  // Modules without a vscode import (the consent modal's lines, the history documents) translate with
  // @vscode/l10n: give it the editor's bundle (undefined in English). One copy of it lives in this bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  // The extension's lifetime: everything made for it is added here and disposed newest first
  // (views and listeners before what they listen to, the log channel last).
  const lifetime = new DisposableStore();
  context.subscriptions.push(lifetime);
  const channel = lifetime.add(vscode.window.createOutputChannel('MCP Sampling', { log: true }));
  // One registry of secrets for the session: the logger, errors sent to servers and the history redact with it.
  const secrets = new SecretRegistry();
  const logger = new RedactingLogger(channel, secrets);
  const addSecret = (value: string) => secrets.register(value);

  const apiKeys = new ApiKeyStore(context.secrets, addSecret);
  // One server may hold at most maxPendingPerServer requests waiting for a person, elicitations included.
  const panel = lifetime.add(new ApprovalPanelController(context.extensionUri, logger, { elicitationsPerServer: () => settings.samplingSettings().limits.maxPendingPerServer }));
  lifetime.add(reportSettingProblems(logger));
  lifetime.add(apiKeys.watch());
  lifetime.add(vscode.window.registerWebviewPanelSerializer(APPROVAL_PANEL_VIEW_TYPE, panel));
  lifetime.add(createPendingStatusBarItem(panel));
  lifetime.add(createPausedStatusBarItem(() => settings.paused(), (listener) => settings.onDidChangeSettings(['paused'], listener)));
  lifetime.add(registerSetApiKeyCommand(apiKeys, () => settings.samplingSettings().providers.map((p) => p.id)));
  lifetime.add(vscode.commands.registerCommand('mcpSampling.openPanel', () => panel.show()));
  lifetime.add(vscode.commands.registerCommand('mcpSampling.showLog', () => channel.show(true)));
  lifetime.add(
    vscode.commands.registerCommand('mcpSampling.togglePause', async () => {
      const paused = !settings.paused();
      await settings.setPaused(paused);
      vscode.window.setStatusBarMessage(paused ? vscode.l10n.t('$(debug-pause) Sampling paused') : vscode.l10n.t('$(play) Sampling resumed'), 3000);
    }),
  );

  // The pipeline is built on the first sampling request (lazy import keeps activation cheap).
  let runtime: Promise<SamplingRuntime> | undefined;
  const samplingRuntime = () =>
    (runtime ??= import('./samplingRuntime').then((m) => {
      const r = m.createSamplingRuntime({
        logger,
        prompter: panel,
        apiKeys,
        secrets: () => secrets.values(),
        serverSource: (name) => services.manager.status(name)?.definition.source ?? 'settings',
        workspaceDefinition: (name) => services.resolver.approvalDefinition(services.manager.status(name)?.definition),
        history: history.sink,
        clientSupportsTools: () => features.sampling.tools,
      });
      return lifetime.add(r);
    }));
  const samplingHandler: SamplingHandler = async (params, ctx) => (await samplingRuntime()).handler(params, ctx);
  const inputRequiredSamplingHandler: SamplingHandler = async (params, ctx) => (await samplingRuntime()).inputRequiredHandler(params, ctx);

  // What this client offers servers, once: the connections declare it, the pipeline checks against it.
  const features: ClientFeatures = {
    sampling: { handler: samplingHandler, inputRequiredHandler: inputRequiredSamplingHandler, tools: true },
    // Elicitation cards in the approval panel; a URL opens only after the user's consent.
    elicitation: { handler: createElicitationHandler(panel), modes: { form: true, url: true } },
    tasks: { logger },
    oauth: registerOAuth(lifetime, context, logger),
  };
  // The OpenAI-compatible endpoint's keys (clients the user named, servers with "llmEndpoint": true).
  const llmKeys = lifetime.add(new LlmCallerKeys(context.secrets, addSecret));
  // The manager and the gateway need each other: a server with "llmEndpoint": true gets the
  // gateway's URL, and the gateway offers the manager's servers. Servers start only once
  // registerServers below loads the definitions, after `gateway` exists; they wait for its start.
  const llmEnvironment: LlmEnvironmentSource = async (serverName) =>
    settings.readGatewaySettings().llmEndpointEnabled ? llmEndpointEnvironment(llmKeys, serverName, await gateway.whenListening()) : undefined;
  const services = createServerServices(lifetime, context, { logger, features, addSecret, llmEnvironment });
  const history = registerHistory(lifetime, context, { logger, secrets: () => secrets.values() });
  // The gateway: the servers' tools for agents, with their completions answered in the panel.
  const gateway = registerGateway(lifetime, context, {
    manager: services.manager,
    sources: services.sources,
    logger,
    addSecret,
    redact: (text) => secrets.redact(text),
    llm: { keys: llmKeys, runtime: samplingRuntime, serverSource: (name) => services.manager.status(name)?.definition.source ?? 'settings' },
  });
  registerServers(lifetime, services, logger, { usageSummary: history.usageSummaryFor, onDidChangeUsage: history.onDidChange, gatewayStatus: gateway.status, onDidChangeGateway: gateway.onDidChange });
  lifetime.add(registerWalkthrough(context, { logger, listServers: () => services.manager.list().map(toServerSnapshot) }));

  const own = options.activationOwnMs !== undefined ? `; ${options.activationOwnMs.toFixed(2)} ms in activate() before it yielded` : '';
  const took = options.loadStartedAt !== undefined ? ` (loaded and composed in ${(performance.now() - options.loadStartedAt).toFixed(1)} ms${own})` : '';
  logger.info(`MCP Sampling Client ${context.extension.packageJSON.version} activated${took}`);
  return {
    api: {
      apiVersion: 1,
      listServers: () => services.manager.list().map(toServerSnapshot),
      callTool: (serverName, toolName, args) => apiCallTool(services.manager, serverName, toolName, args),
      pendingRequests: () => panel.pendingRequests().map((r) => ({ id: r.id, serverName: r.serverName, state: r.state })),
    },
    stop: () => services.manager.dispose(),
  };
}
