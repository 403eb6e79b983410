/**
 * The gateway's commands: Connect Another Client… (the URL and a ready-to-paste configuration for
 * Claude Code, Cursor, Cline, Continue, Gemini CLI or mcp.json, copied to the clipboard), Rotate
 * Gateway Token, and Move Server from mcp.json to Settings (so the gateway offers it and VS Code's own
 * client stops running it too).
 */
import * as vscode from 'vscode';
import { applyEdits, modify } from 'jsonc-parser';
import { clientConfigs } from '../../core/gateway/clientConfigs';
import type { GatewayServer } from '../../core/gateway/gatewayServer';
import { toSettingsEntry, type ServerDefinition } from '../../core/config/serverDefinition';
import type { Logger } from '../../core/logger';
import type { ServerSources } from '../servers/serverSources';
import type { GatewayToken } from '../../core/gateway/gatewayToken';
import { readGatewaySettings, setUserServerDefinitions, userServerDefinitions } from '../config';
import type { LlmCallerKeys } from '../../core/gateway/openai/callerKeys';
import { connectOpenAiClient, OPENAI_CLIENT_LABEL, revokeLlmKey } from './llmKeyCommands';

export interface GatewayCommandDeps {
  readonly gateway: GatewayServer;
  readonly token: GatewayToken;
  /** VS Code's own client's token: rotated with the other, so no copy of either keeps access. */
  readonly vscodeToken: GatewayToken;
  readonly sources: ServerSources;
  readonly logger: Logger;
  readonly enabled: () => boolean;
  /** The OpenAI-compatible endpoint's keys (absent: no endpoint). */
  readonly llmKeys?: LlmCallerKeys;
  readonly serverNames?: () => readonly string[];
  /** Servers whose endpoint key Rotate replaced restart to get it. */
  readonly restartServers?: (names: readonly string[]) => Promise<void>;
}

export function registerGatewayCommands(deps: GatewayCommandDeps): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mcpSampling.gateway.connectClient', () => connectAnotherClient(deps)),
    vscode.commands.registerCommand('mcpSampling.gateway.rotateToken', () => rotateToken(deps)),
    vscode.commands.registerCommand('mcpSampling.llmEndpoint.revokeKey', () => (deps.llmKeys ? revokeLlmKey(deps.llmKeys) : undefined)),
    vscode.commands.registerCommand('mcpSampling.gateway.moveServerToSettings', (serverName?: unknown) => moveServerToSettings(deps, typeof serverName === 'string' ? serverName : undefined)),
  );
}

async function connectAnotherClient({ gateway, token, enabled, llmKeys, serverNames }: GatewayCommandDeps): Promise<string | undefined> {
  const url = gateway.url;
  if (url === undefined) {
    const open = vscode.l10n.t('Open Settings');
    const message = enabled() ? vscode.l10n.t('The MCP Sampling gateway is not running (see the log).') : vscode.l10n.t('The MCP Sampling gateway is turned off.');
    if ((await vscode.window.showWarningMessage(message, open)) === open) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'mcpSampling.gateway');
    }
    return undefined;
  }
  const configs = clientConfigs(url, await token.load());
  const items: (vscode.QuickPickItem & { text: string; openAi?: true })[] = [
    ...configs.map((c) => ({ label: c.label, description: c.where, text: c.text })),
    ...(llmKeys ? [{ label: OPENAI_CLIENT_LABEL(), description: vscode.l10n.t('a base URL and a key of its own'), text: '', openAi: true as const }] : []),
    { label: vscode.l10n.t('Copy the URL only'), description: url, text: url },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Connect another MCP client to the gateway at {0}', url),
    placeHolder: vscode.l10n.t('Choose your client: its configuration (with the token) is copied to the clipboard'),
  });
  if (!picked) return undefined;
  if (picked.openAi && llmKeys) return connectOpenAiClient(url, llmKeys, serverNames ?? (() => []), readGatewaySettings().llmEndpointEnabled);
  await vscode.env.clipboard.writeText(picked.text);
  const withToken = picked.text !== url;
  void vscode.window.showInformationMessage(
    withToken
      ? vscode.l10n.t('The {0} configuration is on the clipboard. It holds the gateway token: treat it like a password. Every completion its calls ask for comes to the approval panel.', picked.label)
      : vscode.l10n.t('{0} is on the clipboard. Callers also need the header "{1}".', url, 'Authorization: Bearer <token>'),
  );
  return picked.label;
}

async function rotateToken({ token, vscodeToken, logger, llmKeys, restartServers }: GatewayCommandDeps): Promise<void> {
  const rotate = vscode.l10n.t('Rotate Token');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Rotate the gateway tokens?'),
    {
      modal: true,
      detail: [
        vscode.l10n.t(
          'Every caller is disconnected. VS Code’s own agent gets its new token from this extension and reconnects by itself; other clients (Claude Code, Cursor…) need their configuration again from "Connect Another Client…".',
        ),
        ...(llmKeys ? [vscode.l10n.t('The keys of OpenAI-compatible clients are revoked too (ask for new ones the same way), and servers with "llmEndpoint": true restart with new keys.')] : []),
      ].join(' '),
    },
    rotate,
  );
  if (answer !== rotate) return;
  // Both: a process that read either token (VS Code's is the most trusted label) loses access.
  await Promise.all([token.rotate(), vscodeToken.rotate()]);
  // The endpoint's keys too: client keys revoked, servers restarted with new ones.
  const restarted = llmKeys ? await llmKeys.rotateAll() : [];
  if (restarted.length > 0) await restartServers?.(restarted);
  logger.info('Gateway: both tokens were rotated; callers were disconnected.');
  void vscode.window.showInformationMessage(vscode.l10n.t('The gateway tokens were rotated. Reconnect other clients with "MCP Sampling: Connect Another Client…".'));
}

async function moveServerToSettings({ sources, logger }: GatewayCommandDeps, serverName: string | undefined): Promise<void> {
  const candidates = sources.current.definitions.filter((d) => d.source !== 'settings');
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No server is defined in an mcp.json file.'));
    return;
  }
  let definition: ServerDefinition | undefined = serverName ? candidates.find((d) => d.name === serverName) : undefined;
  if (!definition) {
    const picked = await vscode.window.showQuickPick(
      candidates.map((d) => ({ label: d.name, description: d.source, definition: d })),
      { title: vscode.l10n.t('Move a server from mcp.json to mcpSampling.servers'), placeHolder: vscode.l10n.t('The gateway offers servers of the settings; VS Code’s own client stops running it from mcp.json') },
    );
    definition = picked?.definition;
  }
  if (!definition) return;
  const move = vscode.l10n.t('Move');
  // Settings have no `inputs` and no folder of their own: say what changes for the variables it uses.
  const raw = JSON.stringify(toSettingsEntry(definition));
  const variables = [
    raw.includes('${input:') ? vscode.l10n.t('{0} values are asked for again once (the settings have no "inputs": the prompts are generic password boxes).', '${input:…}') : '',
    /\$\{workspaceFolder(Basename)?\}/.test(raw) ? vscode.l10n.t('{0} then means the first workspace folder, not the folder of this mcp.json.', '${workspaceFolder}') : '',
  ].filter(Boolean);
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Move "{0}" from {1} to the mcpSampling.servers setting?', definition.name, definition.source),
    {
      modal: true,
      detail: [vscode.l10n.t('The entry is removed from the mcp.json file and added to your user settings, so this extension runs it (and the gateway offers it) instead of VS Code’s own MCP client.'), ...variables].join(' '),
    },
    move,
  );
  if (answer !== move) return;
  const current = userServerDefinitions();
  if (current[definition.name] !== undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The settings already define a server named "{0}"; rename one of them first.', definition.name));
    return;
  }
  const file = vscode.Uri.file(definition.source);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', definition.source, error instanceof Error ? error.message : String(error)));
    return;
  }
  // Settings first: if writing the file fails, the server is defined twice (settings win), never lost.
  await setUserServerDefinitions({ ...current, [definition.name]: toSettingsEntry(definition) });
  // .mcp.json and Copilot CLI's mcp-config.json list servers under "mcpServers", mcp.json under "servers".
  const serversKey = /(^|[\\/])mcp\.json$/.test(definition.source) ? 'servers' : 'mcpServers';
  const edited = applyEdits(text, modify(text, [serversKey, definition.name], undefined, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
  try {
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(edited));
  } catch (error) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" is now in the settings, but {1} could not be changed: {2}. Remove it there by hand.', definition.name, definition.source, error instanceof Error ? error.message : String(error)),
    );
    return;
  }
  logger.info(`Moved server "${definition.name}" from ${definition.source} to mcpSampling.servers.`);
  void vscode.window.showInformationMessage(vscode.l10n.t('"{0}" now lives in mcpSampling.servers and is offered through the gateway.', definition.name));
}
