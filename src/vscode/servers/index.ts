/**
 * Wiring for everything about servers: definitions from settings and mcp.json, variable prompts,
 * workspace roots, the ConnectionManager, the Servers view and its commands.
 */
import * as vscode from 'vscode';
import { toDisposable, type DisposableStore } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import { ConnectionManager, type ServerStatus } from '../../core/mcp/connectionManager';
import type { ClientFeatures } from '../clientFeatures';
import type { ServerSnapshot } from '../../api';
import { registerCallToolCommand, callToolProgrammatic } from './callToolCommand';
import { registerImportClaudeDesktopCommand } from './importClaudeDesktop';
import { watchWorkspaceRoots, workspaceRootsSource } from './rootsSource';
import { registerServerCommands } from './serverCommands';
import { ServerSources } from './serverSources';
import { ServersTreeProvider, type ServersViewExtras } from './serversView';
import { fileConsentStore, VsCodeVariableResolver } from './variableResolver';
import { withLlmEndpointEnvironment, type LlmEnvironmentSource } from '../../core/gateway/openai/serverEnvironment';
import { maxMessageBytes, toolCallTimeoutSeconds } from '../config';

export { registerOAuth } from './oauthUi';

export interface ServerManagerOptions {
  readonly logger: Logger;
  /** What this client offers servers (built once by the composition root). */
  readonly features: ClientFeatures;
  /** Called with each `${input:}` value so the logger can mask it (the session's SecretRegistry). */
  readonly addSecret?: (value: string) => void;
  /** The environment of servers with `"llmEndpoint": true`, asked at each start. */
  readonly llmEnvironment?: LlmEnvironmentSource;
}

export interface ServerServices {
  readonly manager: ConnectionManager;
  readonly sources: ServerSources;
  readonly resolver: VsCodeVariableResolver;
}

/** Builds the manager and its helpers. Nothing connects until `registerServers` loads the definitions. */
export function createServerServices(owner: DisposableStore, context: vscode.ExtensionContext, options: ServerManagerOptions): ServerServices {
  const sources = owner.add(new ServerSources(context, options.logger));
  const resolver = new VsCodeVariableResolver(context.secrets, sources, options.addSecret, { store: fileConsentStore(context.globalStorageUri) });
  const { features } = options;
  const manager = new ConnectionManager({
    logger: options.logger,
    samplingHandler: features.sampling.handler,
    rootsSource: workspaceRootsSource,
    resolveVariables: async (definition, signal) => withLlmEndpointEnvironment(await resolver.resolveDefinition(definition, signal), options.llmEnvironment, options.logger),
    toolCallTimeoutMs: () => toolCallTimeoutSeconds() * 1000,
    // Read whole messages well past maxRequestBytes, so the pipeline can refuse them politely.
    connectionOptions: {
      // Read on each message: a changed limit applies without reconnecting.
      maxMessageBytes,
      ...(features.sampling.inputRequiredHandler ? { inputRequiredSamplingHandler: features.sampling.inputRequiredHandler } : {}),
      ...(features.elicitation ? { elicitationHandler: features.elicitation.handler, elicitationModes: features.elicitation.modes } : {}),
      ...(features.tasks ? { taskSampling: features.tasks } : {}),
      ...(features.oauth ? { oauth: features.oauth } : {}),
    },
    ...(features.sampling.tools ? { samplingTools: true } : {}),
  });
  // deactivate awaits the manager's stop first (composition.ts); this ends what is left, if anything.
  owner.add(toDisposable(() => void manager.dispose()));
  return { manager, sources, resolver };
}

/** Registers the Servers view (with what else it shows: `extras`) and the server commands, then loads definitions and connects. */
export function registerServers(owner: DisposableStore, services: ServerServices, logger: Logger, extras: ServersViewExtras): void {
  const { manager, sources, resolver } = services;
  const view = owner.add(new ServersTreeProvider(manager, sources, extras));
  owner.add(vscode.window.registerTreeDataProvider('mcpSampling.servers', view));
  owner.add(registerServerCommands(manager, sources, view, logger, resolver));
  owner.add(registerCallToolCommand(manager, logger, { timeoutSeconds: toolCallTimeoutSeconds }));
  owner.add(registerImportClaudeDesktopCommand(logger));
  owner.add(watchWorkspaceRoots(() => manager.notifyRootsChanged()));
  owner.add(sources.onDidChange((loaded) => void manager.update(loaded.definitions)));
  // Servers refused ${workspaceFolder} or a workspace envFile in Restricted Mode start once trusted.
  owner.add(vscode.workspace.onDidGrantWorkspaceTrust(() => manager.list().forEach((s) => s.status === 'error' && void manager.connect(s.name).catch(() => undefined))));
  void sources.reload();
}

/** The extension API's view of a server. */
export function toServerSnapshot(status: ServerStatus): ServerSnapshot {
  const state: ServerSnapshot['status'] =
    status.status === 'idle' ? (status.definition.disabled ? 'disabled' : 'disconnected') : status.status;
  return { name: status.name, source: status.definition.source, status: state, ...(status.error ? { error: status.error } : {}) };
}

/** For the extension API's `callTool`. */
export function apiCallTool(manager: ConnectionManager, serverName: string, toolName: string, args?: Record<string, unknown>): Promise<unknown> {
  return callToolProgrammatic(manager, serverName, toolName, args, { timeoutSeconds: toolCallTimeoutSeconds });
}
