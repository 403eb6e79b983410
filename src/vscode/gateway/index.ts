/**
 * Wiring for the gateway: starts it (when `mcpSampling.gateway.enabled`) on 127.0.0.1, keeps its
 * port across restarts, offers it to VS Code's own MCP client through a definition provider, and
 * registers its commands. The MCP SDK's server side loads only on the gateway's first request.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Emitter } from '../../core/events';
import { toDisposable, type DisposableStore } from '../../core/lifetime';
import { isExposed, type DefinitionOrigin } from '../../core/gateway/exposure';
import { GatewayServer, type GatewayStatus } from '../../core/gateway/gatewayServer';
import type { Logger } from '../../core/logger';
import type { ConnectionManager } from '../../core/mcp/connectionManager';
import { onDidChangeSettings, readGatewaySettings } from '../config';
import type { ServerSources } from '../servers/serverSources';
import { registerGatewayCommands } from './gatewayCommands';
import { GATEWAY_DEFINITION_LABEL, GatewayDefinitionProvider } from './definitionProvider';
import { GatewayToken } from '../../core/gateway/gatewayToken';
import { llmEndpointRoutes, type LlmEndpointWiring } from './llmEndpoint';

const LAST_PORT_KEY = 'mcpSampling.gateway.lastPort';

export interface GatewayDeps {
  readonly manager: ConnectionManager;
  readonly sources: ServerSources;
  readonly logger: Logger;
  readonly addSecret: (value: string) => void;
  /** The session's one redaction, for every error the gateway sends a caller. */
  readonly redact: (text: string) => string;
  /** The OpenAI-compatible endpoint on the same listener (`mcpSampling.llmEndpoint.enabled`). */
  readonly llm?: LlmEndpointWiring;
}

/** What the Servers view and the commands read. */
export interface GatewayHandle {
  status(): (GatewayStatus & { readonly enabled: boolean; readonly error?: string }) | undefined;
  readonly onDidChange: vscode.Event<void>;
  readonly token: GatewayToken;
  url(): string | undefined;
  /** The gateway's URL once the start (or stop) under way has finished; undefined when it is not running. */
  whenListening(): Promise<string | undefined>;
}

export function registerGateway(owner: DisposableStore, context: vscode.ExtensionContext, deps: GatewayDeps): GatewayHandle {
  const { manager, sources, logger } = deps;
  // Two tokens: one for other clients (copied by Connect Another Client…) and one only VS Code's own
  // client ever gets, so it is told apart. Rotate Gateway Token replaces both; VS Code's client
  // is restarted when it was connected (reconnectVsCodeClient) and resolves the new one.
  const token = owner.add(new GatewayToken(context.secrets, 'mcpSampling.gateway.token', deps.addSecret));
  const vscodeToken = owner.add(new GatewayToken(context.secrets, 'mcpSampling.gateway.vscodeToken', deps.addSecret));
  const changed = owner.add(new Emitter<void>());
  const vsChanged = owner.add(new vscode.EventEmitter<void>());
  // Calls start and end in bursts: the view is told at most every 250 ms.
  let viewTimer: ReturnType<typeof setTimeout> | undefined;
  owner.add(toDisposable(() => viewTimer !== undefined && clearTimeout(viewTimer)));
  owner.add(
    changed.event(() => {
      viewTimer ??= setTimeout(() => {
        viewTimer = undefined;
        vsChanged.fire();
      }, 250);
    }),
  );

  const gateway = new GatewayServer({
    backend: manager,
    isExposed: (status, gatewayPort) =>
      isExposed(status.definition, definitionOrigin(status.definition.source, sources), {
        exposeMcpJsonServers: readGatewaySettings().exposeMcpJsonServers,
        workspaceTrusted: vscode.workspace.isTrusted,
        ...(gatewayPort !== undefined ? { gatewayPort } : {}),
      }),
    token: () => token.current,
    vscodeToken: () => vscodeToken.current,
    logger,
    redact: deps.redact,
    serverInfo: { name: 'mcp-sampling-gateway', version: String(context.extension.packageJSON.version ?? '0.0.0') },
    ...(deps.llm ? { routes: llmEndpointRoutes(deps.llm, logger, () => readGatewaySettings().llmEndpointEnabled) } : {}),
  });
  owner.add(gateway);
  const provider = owner.add(new GatewayDefinitionProvider(gateway, vscodeToken));

  let error: string | undefined;
  let running: Promise<void> = Promise.resolve();
  /** Starts, stops or moves the gateway to match the settings; one transition at a time. */
  const apply = () =>
    (running = running.then(async () => {
      const settings = readGatewaySettings();
      const wantedPort = settings.port || context.globalState.get<number>(LAST_PORT_KEY, 0);
      if (!settings.enabled || (gateway.port !== undefined && settings.port !== 0 && gateway.port !== settings.port)) await gateway.stop();
      error = undefined;
      if (settings.enabled && gateway.port === undefined) {
        try {
          await Promise.all([token.load(), vscodeToken.load()]);
          // An explicit port must be that port; the remembered one may move when taken.
          const port = await gateway.start(wantedPort, settings.port === 0);
          if (settings.port === 0) await context.globalState.update(LAST_PORT_KEY, port);
        } catch (e) {
          error = vscode.l10n.t('The gateway could not listen on {0}: {1}', `127.0.0.1:${wantedPort}`, e instanceof Error ? e.message : String(e));
          logger.error(error);
        }
      }
      provider.refresh();
      changed.fire();
    }));

  owner.add(
    gateway.onDidChangeStatus(() => {
      provider.refresh();
      changed.fire();
    }),
  );
  owner.add(onDidChangeSettings(['gatewayEnabled', 'gatewayPort'], () => void apply()));
  owner.add(onDidChangeSettings(['gatewayExposeMcpJsonServers'], () => gateway.refresh()));
  owner.add(vscode.workspace.onDidGrantWorkspaceTrust(() => gateway.refresh()));
  owner.add(token.onDidChange(() => void gateway.closeSessions('otherClients')));
  owner.add(vscodeToken.onDidChange(() => void reconnectVsCodeClient(gateway, provider, context.extension.id, logger)));
  owner.add(
    registerGatewayCommands({
      gateway,
      token,
      vscodeToken,
      sources,
      logger,
      enabled: () => readGatewaySettings().enabled,
      ...(deps.llm ? { llmKeys: deps.llm.keys, serverNames: () => manager.list().map((s) => s.name), restartServers: async (names) => void (await Promise.allSettled(names.map((n) => manager.restart(n)))) } : {}),
    }),
  );
  // Older VS Code builds (and some forks) have no MCP client API: the gateway still serves other clients.
  if (typeof vscode.lm?.registerMcpServerDefinitionProvider === 'function') {
    owner.add(vscode.lm.registerMcpServerDefinitionProvider('mcpSampling.gateway', provider));
  }
  void apply();

  return {
    status: () => ({ ...gateway.status(), enabled: readGatewaySettings().enabled, ...(error ? { error } : {}) }),
    onDidChange: vsChanged.event,
    token,
    url: () => gateway.url,
    whenListening: () => running.then(() => gateway.url),
  };
}

/** Where a definition comes from, for the gateway's exposure rules. */
function definitionOrigin(source: string, sources: ServerSources): DefinitionOrigin {
  if (source === 'settings') return 'settings';
  const user = sources.userMcpJsonUri();
  if (user && path.resolve(source) === path.resolve(user.fsPath)) return 'userMcpJson';
  const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((f) => f.uri.scheme === 'file' && path.resolve(source).startsWith(path.resolve(f.uri.fsPath) + path.sep));
  return inWorkspace ? 'workspaceMcpJson' : 'other';
}

/**
 * After VS Code's token rotates: callers are cut off and the definition gets a new version, but a
 * running VS Code client keeps the header it resolved until the server restarts (its next call would
 * be refused and hang). So, when it was connected, VS Code is asked to restart it, which resolves
 * the definition again with the new token.
 */
async function reconnectVsCodeClient(gateway: GatewayServer, provider: GatewayDefinitionProvider, extensionId: string, logger: Logger): Promise<void> {
  const wasConnected = gateway.status().callers.some((c) => c.fromVsCode);
  await gateway.closeSessions('all');
  provider.tokenRotated();
  if (!wasConnected) return;
  const definitionId = `${extensionId.toLowerCase()}/${GATEWAY_DEFINITION_LABEL}`;
  try {
    await vscode.commands.executeCommand('workbench.mcp.stopServer', definitionId);
    await vscode.commands.executeCommand('workbench.mcp.startServer', definitionId);
  } catch (error) {
    logger.warn(`Gateway: VS Code's MCP client could not be restarted after the token rotation (it reconnects when it next starts the server): ${error instanceof Error ? error.message : String(error)}`);
  }
}
