/**
 * `mcpSampling.callTool`: interactively (pick a server and tool, fill its arguments, read the result
 * as Markdown) or programmatically (`executeCommand('mcpSampling.callTool', server, tool, args)`
 * returns the CallToolResult with no UI).
 */
import * as vscode from 'vscode';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ConnectionManager } from '../../core/mcp/connectionManager';
import type { Logger } from '../../core/logger';
import { convertFieldValue, planToolArguments, type ArgumentField } from '../../core/mcp/toolArguments';
import { toolResultToMarkdown } from '../../core/mcp/toolResultMarkdown';
import { pickServer, serverNameFromArgument } from './pickServer';
import { isRecord } from '../../shared/isRecord';
import { statusLabel } from './serversView';

export interface CallToolCommandOptions {
  /** Seconds without progress before a call is cancelled (the `mcpSampling.toolCallTimeoutSeconds` setting). */
  readonly timeoutSeconds: () => number;
}

/** Calls without UI; used by the command with arguments and by the extension API. */
export function callToolProgrammatic(manager: ConnectionManager, serverName: string, toolName: string, args: unknown, options: CallToolCommandOptions, signal?: AbortSignal): Promise<CallToolResult> {
  if (args !== undefined && !isRecord(args)) return Promise.reject(new Error('Tool arguments must be an object.'));
  return manager.callTool(serverName, toolName, args, { timeoutMs: options.timeoutSeconds() * 1000, ...(signal ? { signal } : {}) });
}

async function pickTool(manager: ConnectionManager, serverName: string): Promise<Tool | undefined> {
  const tools = manager.listTools(serverName);
  if (tools.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('MCP server "{0}" offers no tools.', serverName));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    tools.map((tool) => ({ label: tool.name, description: tool.title ?? '', detail: tool.description?.slice(0, 300), tool })),
    { title: vscode.l10n.t('Call a tool on {0}', serverName), matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.tool;
}

async function askField(field: ArgumentField, step: number, total: number, toolName: string): Promise<{ value: unknown } | undefined> {
  const title = `${toolName}: ${field.name} (${step}/${total})`;
  if (field.enumValues?.length || field.type === 'boolean') {
    const values = field.enumValues?.length ? field.enumValues : [true, false];
    const items = values.map((v) => ({ label: String(v), value: v as unknown }));
    if (!field.required) items.push({ label: vscode.l10n.t('(leave out)'), value: undefined });
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: field.description ?? field.name, ignoreFocusOut: true });
    return picked ? { value: picked.value } : undefined;
  }
  const initial = field.defaultValue !== undefined ? String(field.defaultValue) : '';
  const text = await vscode.window.showInputBox({
    title,
    prompt: field.required ? vscode.l10n.t('{0} ({1}, required)', field.description ?? field.name, field.type) : vscode.l10n.t('{0} ({1}, optional)', field.description ?? field.name, field.type),
    value: initial,
    ignoreFocusOut: true,
    validateInput: (input) => {
      const converted = convertFieldValue(field, input);
      return converted.ok ? undefined : converted.error;
    },
  });
  if (text === undefined) return undefined;
  const converted = convertFieldValue(field, text);
  return converted.ok ? { value: converted.value } : undefined;
}

/** Opens the JSON skeleton in an editor and waits for the user to confirm; returns the parsed object. */
async function editJsonArguments(toolName: string, skeleton: string): Promise<Record<string, unknown> | undefined> {
  const call = vscode.l10n.t('Call');
  const comment = vscode.l10n.t('Arguments for {0}. Edit, then choose "{1}" in the notification.', toolName, call);
  const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: `// ${comment}\n${skeleton}\n` });
  await vscode.window.showTextDocument(doc, { preview: false });
  for (let attempt = 0; attempt < 20; attempt++) {
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Call {0} with the arguments in the editor?', toolName), call, vscode.l10n.t('Cancel'));
    if (choice !== call) return undefined;
    const errors: ParseError[] = [];
    const value: unknown = parseJsonc(doc.getText(), errors, { allowTrailingComma: true });
    if (errors.length === 0 && isRecord(value)) return value;
    void vscode.window.showErrorMessage(errors.length ? vscode.l10n.t('The arguments are not valid JSON; fix them and choose {0} again.', call) : vscode.l10n.t('The arguments must be a JSON object.'));
  }
  return undefined;
}

async function gatherArguments(tool: Tool): Promise<Record<string, unknown> | undefined> {
  const plan = planToolArguments(tool.inputSchema);
  if (plan.kind === 'none') return {};
  if (plan.kind === 'json') return editJsonArguments(tool.name, plan.skeleton);
  const args: Record<string, unknown> = {};
  for (const [index, field] of plan.fields.entries()) {
    const answer = await askField(field, index + 1, plan.fields.length, tool.name);
    if (!answer) return undefined;
    if (answer.value !== undefined) args[field.name] = answer.value;
  }
  return args;
}

async function runInteractive(manager: ConnectionManager, argument: unknown, options: CallToolCommandOptions, logger: Logger): Promise<CallToolResult | undefined> {
  const serverName = serverNameFromArgument(argument) ?? (await pickServer(manager, vscode.l10n.t('Call Tool'), (s) => s.status === 'connected'));
  if (!serverName) return undefined;
  if (manager.status(serverName)?.status !== 'connected') {
    const status = await manager.connect(serverName);
    if (status.status !== 'connected') {
      void vscode.window.showErrorMessage(vscode.l10n.t('MCP server "{0}" is not connected: {1}', serverName, status.error ?? statusLabel(status)));
      return undefined;
    }
  }
  const node = argument as { kind?: string; name?: string } | undefined;
  const tool = node?.kind === 'tool' ? manager.listTools(serverName).find((t) => t.name === node.name) : await pickTool(manager, serverName);
  if (!tool) return undefined;
  const args = await gatherArguments(tool);
  if (!args) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('{0} on {1}', tool.name, serverName), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort(new Error('Cancelled')));
      const onProgress = manager.onDidProgress((p) => {
        if (p.serverName === serverName && p.toolName === tool.name) progress.report({ message: p.message ?? (p.total ? `${p.progress}/${p.total}` : String(p.progress)) });
      });
      try {
        return await callToolProgrammatic(manager, serverName, tool.name, args, options, abort.signal);
      } catch (error) {
        // The user pressed Cancel: no failure to report back to them.
        if (token.isCancellationRequested) return undefined;
        throw error;
      } finally {
        cancel.dispose();
        onProgress.dispose();
      }
    },
  );
  if (!result) {
    logger.info(`[${serverName}] tool ${tool.name}: cancelled`);
    return undefined;
  }
  logger.info(`[${serverName}] tool ${tool.name} returned${result.isError ? ' an error' : ''}`);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: toolResultToMarkdown(serverName, tool.name, args, result) });
  await vscode.window.showTextDocument(doc, { preview: true });
  return result;
}

export function registerCallToolCommand(manager: ConnectionManager, logger: Logger, options: CallToolCommandOptions): vscode.Disposable {
  return vscode.commands.registerCommand('mcpSampling.callTool', async (argument?: unknown, toolName?: unknown, args?: unknown) => {
    if (typeof argument === 'string' && typeof toolName === 'string') {
      // Programmatic: errors go to the caller, no UI.
      return callToolProgrammatic(manager, argument, toolName, args, options);
    }
    try {
      return await runInteractive(manager, argument, options, logger);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`Call Tool failed: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Call Tool failed: {0}', message));
      return undefined;
    }
  });
}
