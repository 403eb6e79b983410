// Wiring only: builds the pieces, connects them, and registers every disposable.
// The MCP SDK and `openai` load lazily: the connection code imports the SDK on first connect, and
// the sampling pipeline (SDK schemas, providers) is imported on the first sampling request.
import * as vscode from 'vscode';
import type { McpSamplingApi } from './api';
import type { SamplingHandler } from './core/mcp/connection';
import { createElicitationHandler } from './core/mcp/protocolExtensions';
import { SecretRegistry } from './core/secrets';
import { RedactingLogger } from './vscode/redactingLogger';
import { ApiKeyStore, registerSetApiKeyCommand } from './vscode/apiKeys';
import { APPROVAL_PANEL_VIEW_TYPE, ApprovalPanelController } from './vscode/panel/approvalPanel';
import { createPendingStatusBarItem } from './vscode/statusBar';
import { apiCallTool, createServerServices, registerServers, toServerSnapshot } from './vscode/servers';
import * as settings from './vscode/config';
import type { SamplingRuntime } from './vscode/samplingRuntime';
import { registerHistory } from './vscode/history';
import { registerWalkthrough } from './vscode/walkthrough/demoCommands';
import { registerGateway } from './vscode/gateway';

/** Kept so deactivate can wait for servers (and their process trees) to stop. */
let stopServers: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): McpSamplingApi {
  const channel = vscode.window.createOutputChannel('MCP Sampling', { log: true });
  context.subscriptions.push(channel);
  // One registry of secrets for the session: the logger, errors sent to servers and the history redact with it.
  const secrets = new SecretRegistry();
  const logger = new RedactingLogger(channel, secrets);
  const addSecret = (value: string) => secrets.register(value);

  const apiKeys = new ApiKeyStore(context.secrets, addSecret);
  // One server may hold at most maxPendingPerServer requests waiting for a person, elicitations included.
  const panel = new ApprovalPanelController(context.extensionUri, logger, { elicitationsPerServer: () => settings.samplingSettings().limits.maxPendingPerServer });
  context.subscriptions.push(
    apiKeys.watch(),
    panel,
    vscode.window.registerWebviewPanelSerializer(APPROVAL_PANEL_VIEW_TYPE, panel),
    createPendingStatusBarItem(panel),
    registerSetApiKeyCommand(apiKeys, () => settings.samplingSettings().providers.map((p) => p.id)),
    vscode.commands.registerCommand('mcpSampling.openPanel', () => panel.show()),
    vscode.commands.registerCommand('mcpSampling.showLog', () => channel.show(true)),
    vscode.commands.registerCommand('mcpSampling.togglePause', async () => {
      const paused = !settings.paused();
      await settings.setPaused(paused);
      vscode.window.setStatusBarMessage(paused ? '$(debug-pause) MCP sampling paused' : '$(play) MCP sampling resumed', 3000);
    }),
  );

  // The pipeline is built on the first sampling request (lazy import keeps activation cheap).
  let runtime: Promise<SamplingRuntime> | undefined;
  const samplingRuntime = () =>
    (runtime ??= import('./vscode/samplingRuntime').then((m) => {
      const r = m.createSamplingRuntime({
        logger,
        prompter: panel,
        apiKeys,
        secrets: () => secrets.values(),
        serverSource: (name) => services.manager.status(name)?.definition.source ?? 'settings',
        history: history.sink,
      });
      context.subscriptions.push(r);
      return r;
    }));
  const samplingHandler: SamplingHandler = async (params, ctx) => (await samplingRuntime()).handler(params, ctx);
  const inputRequiredSamplingHandler: SamplingHandler = async (params, ctx) => (await samplingRuntime()).inputRequiredHandler(params, ctx);

  const services = createServerServices(context, {
    logger,
    samplingHandler,
    inputRequiredSamplingHandler,
    samplingTools: true,
    taskSampling: { logger },
    // Elicitation cards in the approval panel; a URL opens only after the user's consent.
    elicitationHandler: createElicitationHandler(panel),
    elicitationModes: { form: true, url: true },
    addSecret,
  });
  const serversView = registerServers(context, services, logger);
  const history = registerHistory(context, { logger, secrets: () => secrets.values() });
  serversView.usageSummary = history.usageSummaryFor;
  context.subscriptions.push(history.onDidChange(() => serversView.refresh()));
  // The gateway: the servers' tools for agents, with their completions answered in the panel.
  const gateway = registerGateway(context, { manager: services.manager, sources: services.sources, logger, addSecret });
  serversView.gatewayStatus = gateway.status;
  context.subscriptions.push(gateway.onDidChange(() => serversView.refresh()));
  context.subscriptions.push(registerWalkthrough(context, { logger, listServers: () => services.manager.list().map(toServerSnapshot) }));
  stopServers = () => services.manager.dispose();

  logger.info(`MCP Sampling Client ${context.extension.packageJSON.version} activated`);
  return {
    apiVersion: 1,
    listServers: () => services.manager.list().map(toServerSnapshot),
    callTool: (serverName, toolName, args) => apiCallTool(services.manager, serverName, toolName, args),
    pendingRequests: () => panel.pendingRequests().map((r) => ({ id: r.id, serverName: r.serverName, state: r.state })),
  };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; servers are awaited so no child outlives us.
  await stopServers?.();
}
