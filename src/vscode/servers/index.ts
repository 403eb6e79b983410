/**
 * Wiring for everything about servers: definitions from settings and mcp.json, variable prompts,
 * workspace roots, the ConnectionManager, the Servers view and its commands.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { ConnectionManager, type ServerStatus } from '../../core/mcp/connectionManager';
import type { ElicitationHandler, SamplingHandler } from '../../core/mcp/connection';
import type { TaskSamplingOptions } from '../../core/rounds/taskSampling';
import type { OAuthConnectionOptions } from '../../core/mcp/oauth';
import type { ServerSnapshot } from '../../api';
import { registerCallToolCommand, callToolProgrammatic } from './callToolCommand';
import { registerImportClaudeDesktopCommand } from './importClaudeDesktop';
import { watchWorkspaceRoots, workspaceRootsSource } from './rootsSource';
import { registerServerCommands } from './serverCommands';
import { ServerSources } from './serverSources';
import { ServersTreeProvider } from './serversView';
import { fileConsentStore, VsCodeVariableResolver } from './variableResolver';
import { maxMessageBytes, toolCallTimeoutSeconds } from '../config';

export { registerOAuth } from './oauthUi';

export interface ServerManagerOptions {
  readonly logger: Logger;
  readonly samplingHandler: SamplingHandler;
  /** Declare `sampling.tools` (the pipeline can answer tool-use sampling). */
  readonly samplingTools?: boolean;
  /** Called with each `${input:}` value so the logger can mask it (e.g. RedactingLogger.addSecret). */
  readonly addSecret?: (value: string) => void;
  /** Answers sampling embedded in `input_required` tool results (route `input-required`). */
  readonly inputRequiredSamplingHandler?: SamplingHandler;
  /** Answers `elicitation/create`; the capability is declared only with it. */
  readonly elicitationHandler?: ElicitationHandler;
  readonly elicitationModes?: { readonly form?: boolean; readonly url?: boolean };
  /** Task-augmented sampling; declared only when given. */
  readonly taskSampling?: TaskSamplingOptions;
  /** OAuth sign-in for HTTP servers (from `registerOAuth`); without it a 401 is an error. */
  readonly oauth?: OAuthConnectionOptions;
}

export interface ServerServices {
  readonly manager: ConnectionManager;
  readonly sources: ServerSources;
  readonly resolver: VsCodeVariableResolver;
}

/** Builds the manager and its helpers. Nothing connects until `registerServers` loads the definitions. */
export function createServerServices(context: vscode.ExtensionContext, options: ServerManagerOptions): ServerServices {
  const sources = new ServerSources(context, options.logger);
  const resolver = new VsCodeVariableResolver(context.secrets, sources, options.addSecret, { store: fileConsentStore(context.globalStorageUri) });
  const manager = new ConnectionManager({
    logger: options.logger,
    samplingHandler: options.samplingHandler,
    rootsSource: workspaceRootsSource,
    resolveVariables: resolver.resolveDefinition,
    toolCallTimeoutMs: toolCallTimeoutSeconds() * 1000,
    // Read whole messages well past maxRequestBytes, so the pipeline can refuse them politely.
    connectionOptions: {
      maxMessageBytes: maxMessageBytes(),
      ...(options.inputRequiredSamplingHandler ? { inputRequiredSamplingHandler: options.inputRequiredSamplingHandler } : {}),
      ...(options.elicitationHandler ? { elicitationHandler: options.elicitationHandler } : {}),
      ...(options.elicitationModes ? { elicitationModes: options.elicitationModes } : {}),
      ...(options.taskSampling ? { taskSampling: options.taskSampling } : {}),
      ...(options.oauth ? { oauth: options.oauth } : {}),
    },
    ...(options.samplingTools ? { samplingTools: true } : {}),
  });
  context.subscriptions.push(sources, { dispose: () => void manager.dispose() });
  return { manager, sources, resolver };
}

/** Registers the Servers view and the server commands, then loads definitions and connects. */
export function registerServers(context: vscode.ExtensionContext, services: ServerServices, logger: Logger): ServersTreeProvider {
  const { manager, sources } = services;
  const view = new ServersTreeProvider(manager, sources);
  context.subscriptions.push(
    view,
    vscode.window.registerTreeDataProvider('mcpSampling.servers', view),
    registerServerCommands(manager, sources, view, logger),
    registerCallToolCommand(manager, logger, { timeoutSeconds: toolCallTimeoutSeconds }),
    registerImportClaudeDesktopCommand(logger),
    watchWorkspaceRoots(() => manager.notifyRootsChanged()),
    sources.onDidChange((loaded) => void manager.update(loaded.definitions)),
  );
  void sources.reload();
  return view;
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
