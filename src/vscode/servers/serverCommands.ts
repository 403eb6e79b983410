/** Connect, disconnect, restart, refresh, show-log and clear-inputs commands for the Servers view. */
import * as vscode from 'vscode';
import type { ConnectionManager } from '../../core/mcp/connectionManager';
import { DisposableStore } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import { pickServer, serverNameFromArgument } from './pickServer';
import type { ServerSources } from './serverSources';
import { statusLabel, type ServersTreeProvider } from './serversView';
import type { VsCodeVariableResolver } from './variableResolver';

export const SERVER_LOG_SCHEME = 'mcp-sampling-server-log';

/** A read-only document per server with its recent stderr, log messages and status changes. */
class ServerLogProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly open = new Set<string>();
  private readonly subscriptions = new DisposableStore();

  constructor(private readonly manager: ConnectionManager) {
    const refresh = (name: string) => {
      if (this.open.has(name)) this.changeEmitter.fire(ServerLogProvider.uriFor(name));
    };
    this.subscriptions.add(this.changeEmitter);
    this.subscriptions.add(manager.onDidChangeStatus((e) => refresh(e.name)));
    this.subscriptions.add(manager.onDidLog((e) => refresh(e.serverName)));
    this.subscriptions.add(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === SERVER_LOG_SCHEME) this.open.delete(decodeURIComponent(doc.uri.path.replace(/^\//, '').replace(/\.log$/, '')));
      }),
    );
  }

  static uriFor(name: string): vscode.Uri {
    return vscode.Uri.from({ scheme: SERVER_LOG_SCHEME, path: `/${encodeURIComponent(name)}.log` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.log$/, ''));
    this.open.add(name);
    const status = this.manager.status(name);
    const lines = this.manager.logLines(name);
    const header = `# ${name} — ${status ? statusLabel(status) : vscode.l10n.t('unknown')}${status?.error ? `: ${status.error}` : ''}`;
    const stderr = lines.length === 0 && status?.stderrTail.length ? status.stderrTail.map((l) => `[stderr] ${l}`) : [];
    return [header, ...lines, ...stderr].join('\n') + '\n';
  }

  dispose(): void {
    this.subscriptions.dispose();
  }
}

export function registerServerCommands(manager: ConnectionManager, sources: ServerSources, view: ServersTreeProvider, logger: Logger, resolver: VsCodeVariableResolver): vscode.Disposable {
  const logProvider = new ServerLogProvider(manager);
  const named = async (argument: unknown, title: string, filter?: Parameters<typeof pickServer>[2]) => serverNameFromArgument(argument) ?? (await pickServer(manager, title, filter));
  const failed = {
    connect: (name: string, message: string) => vscode.l10n.t('MCP server "{0}" could not connect: {1}', name, message),
    disconnect: (name: string, message: string) => vscode.l10n.t('MCP server "{0}" could not disconnect: {1}', name, message),
    restart: (name: string, message: string) => vscode.l10n.t('MCP server "{0}" could not restart: {1}', name, message),
  };
  const report = (name: string, what: keyof typeof failed) => (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`[${name}] ${what} failed: ${message}`);
    void vscode.window.showErrorMessage(failed[what](name, message));
  };
  const showFailure = (name: string, status: { status: string; error?: string }) => {
    if (status.status === 'error') {
      void vscode.window.showErrorMessage(failed.connect(name, status.error ?? vscode.l10n.t('unknown error')), vscode.l10n.t('Show Server Log')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('mcpSampling.showServerLog', name);
      });
    }
  };
  return vscode.Disposable.from(
    logProvider,
    vscode.workspace.registerTextDocumentContentProvider(SERVER_LOG_SCHEME, logProvider),
    vscode.commands.registerCommand('mcpSampling.connectServer', async (argument?: unknown) => {
      const name = await named(argument, vscode.l10n.t('Connect Server'), (s) => s.status !== 'connected');
      if (!name) return;
      await manager.connect(name).then((status) => showFailure(name, status), report(name, 'connect'));
    }),
    vscode.commands.registerCommand('mcpSampling.disconnectServer', async (argument?: unknown) => {
      const name = await named(argument, vscode.l10n.t('Disconnect Server'), (s) => s.status === 'connected' || s.status === 'connecting' || !!s.reconnect);
      if (!name) return;
      await manager.disconnect(name).catch(report(name, 'disconnect'));
    }),
    vscode.commands.registerCommand('mcpSampling.restartServer', async (argument?: unknown) => {
      const name = await named(argument, vscode.l10n.t('Restart Server'));
      if (!name) return;
      await manager.restart(name).then((status) => showFailure(name, status), report(name, 'restart'));
    }),
    vscode.commands.registerCommand('mcpSampling.showServerLog', async (argument?: unknown) => {
      const name = await named(argument, vscode.l10n.t('Show Server Log'));
      if (!name) return;
      const doc = await vscode.workspace.openTextDocument(ServerLogProvider.uriFor(name));
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.commands.registerCommand('mcpSampling.clearServerInputs', async (argument?: unknown) => {
      const name = await named(argument, vscode.l10n.t('Clear Server Inputs'));
      const definition = name ? manager.status(name)?.definition : undefined;
      if (!name || !definition) return;
      const forgotten = await resolver.forgetInputs(definition);
      if (forgotten.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('MCP server "{0}" has no stored {1} values.', name, '${input:}'));
        return;
      }
      logger.info(`[${name}] forgot the stored input values ${forgotten.join(', ')}`);
      // Restarted at once, so the values are asked for now, where the user expects it.
      if (manager.status(name)?.status !== 'disconnected') await manager.restart(name).then((status) => showFailure(name, status), report(name, 'restart'));
      else void vscode.window.showInformationMessage(vscode.l10n.t('The stored values of {0} are forgotten; they are asked for when "{1}" connects.', forgotten.map((id) => `\${input:${id}}`).join(', '), name));
    }),
    vscode.commands.registerCommand('mcpSampling.refreshServers', async () => {
      await sources.reload();
      await Promise.allSettled(manager.list().filter((s) => s.status === 'connected').map((s) => manager.refreshLists(s.name)));
      view.refresh();
    }),
  );
}
