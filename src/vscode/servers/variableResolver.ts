/**
 * Answers `${…}` variables for server definitions in VS Code, after the workspace-server consent.
 * `${input:id}` is asked once per declaring definition (source + server name + id, with the
 * description and password flag from that mcp.json's `inputs`) and kept in SecretStorage.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InputDefinition } from '../../core/config/mcpJson';
import { inputIds, inputStorageKey, resolveDefinitionVariables, type ResolveResult, type VariableResolver } from '../../core/config/variables';
import { OneAtATime } from '../../core/async';
import { isInsideAnyFolder } from '../../core/config/untrustedWorkspace';
import type { ServerDefinition } from '../../core/config/serverDefinition';
import type { ApprovedDefinition } from '../../core/sampling/settings';
import { readEnvFile } from '../../core/config/envFile';
import { consentKey, envFileSnapshot, WorkspaceServerConsent, type ConsentPrompt, type ConsentPrompter, type ConsentRecord, type ConsentStore } from '../../core/config/workspaceConsent';

/** In the extension's global storage (outside any workspace, so a workspace cannot pre-approve itself). */
export const CONSENT_FILE = 'workspace-server-consent.json';

export interface InputLookup {
  /** The `inputs` entry of the file that defines the server (never another file's). */
  inputDefinition(id: string, source: string): InputDefinition | undefined;
  /** Whether a definition comes from a workspace's .vscode/mcp.json. */
  isWorkspaceDefinition(definition: ServerDefinition): boolean;
}

/** The modal: names the server, the command line (or URL) and what it reads from the environment. */
export const modalConsentPrompter: ConsentPrompter = {
  async confirm(prompt: ConsentPrompt): Promise<boolean> {
    const allow = vscode.l10n.t('Allow and Start');
    const message = prompt.changed
      ? vscode.l10n.t('The workspace changed the MCP server "{0}". Start it with the new definition?', prompt.serverName)
      : vscode.l10n.t('Start the MCP server "{0}" defined by this workspace?', prompt.serverName);
    const detail = vscode.l10n.t('It runs: {0}\n\n{1}\n\nAllow only servers you expect this workspace to run. You are asked again if its definition changes.', prompt.summary, prompt.detail);
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, allow);
    return choice === allow;
  },
};

/** Consents in a JSON file of the extension's global storage. */
export function fileConsentStore(storage: vscode.Uri): ConsentStore {
  const file = vscode.Uri.joinPath(storage, CONSENT_FILE);
  return {
    async load() {
      try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
        return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, ConsentRecord>) : {};
      } catch {
        return {};
      }
    },
    async save(records) {
      await vscode.workspace.fs.createDirectory(storage);
      await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify(records, null, 2)));
    },
  };
}

export class VsCodeVariableResolver implements VariableResolver {
  private readonly consent: WorkspaceServerConsent;
  /** Servers connect together; their input boxes open one after another. */
  private readonly prompts = new OneAtATime();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly inputs: InputLookup,
    /** Called with every input value, so the logger can mask it. */
    private readonly onSecret: (value: string) => void = () => {},
    consent: { readonly store: ConsentStore; readonly prompter?: ConsentPrompter },
  ) {
    this.consent = new WorkspaceServerConsent(consent.store, consent.prompter ?? modalConsentPrompter, (d) => this.inputs.isWorkspaceDefinition(d));
  }

  workspaceFolder(folderName: string | undefined, source: string): string | undefined {
    // Restricted Mode: no server (the user's own included) reads or runs the workspace's files.
    if (!vscode.workspace.isTrusted) throw new Error(vscode.l10n.t('{0} is refused while this workspace is untrusted (Restricted Mode), so no server reads or runs its files. It starts when you trust the workspace.', '${workspaceFolder}'));
    const folders = vscode.workspace.workspaceFolders ?? [];
    const owner = path.isAbsolute(source) ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(source)) : undefined;
    const folder = folderName === undefined ? (owner ?? folders[0]) : folders.find((f) => f.name === folderName);
    return folder?.uri.scheme === 'file' ? folder.uri.fsPath : folder?.uri.toString();
  }

  userHome(): string {
    return os.homedir();
  }

  env(name: string): string | undefined {
    return process.env[name];
  }

  async input(id: string, context: { readonly serverName: string; readonly source: string; readonly signal?: AbortSignal }): Promise<string | undefined> {
    const key = inputStorageKey(context.source, context.serverName, id);
    return (await this.storedValue(key)) ?? this.prompts.run(() => this.ask(id, key, context), context.signal);
  }

  /** Forgets the stored `${input:}` values of a definition (a value typed wrong); returns the ids forgotten. */
  async forgetInputs(definition: ServerDefinition): Promise<string[]> {
    const forgotten: string[] = [];
    for (const id of inputIds(definition)) {
      const key = inputStorageKey(definition.source, definition.name, id);
      if ((await this.secrets.get(key)) === undefined) continue;
      await this.secrets.delete(key);
      forgotten.push(id);
    }
    return forgotten;
  }

  private async storedValue(key: string): Promise<string | undefined> {
    const stored = await this.secrets.get(key);
    if (stored !== undefined) this.onSecret(stored);
    return stored;
  }

  private async ask(id: string, key: string, context: { readonly serverName: string; readonly source: string; readonly signal?: AbortSignal }): Promise<string | undefined> {
    // Asked and stored while this one waited its turn (the same server connecting twice).
    const stored = await this.storedValue(key);
    if (stored !== undefined) return stored;
    const definition = this.inputs.inputDefinition(id, context.source);
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    context.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let value: string | undefined;
      if (definition?.type === 'pickString' && definition.options?.length) {
        value = await vscode.window.showQuickPick([...definition.options], { title: vscode.l10n.t('MCP server "{0}"', context.serverName), placeHolder: definition.description ?? id, ignoreFocusOut: true }, cancel.token);
      } else {
        value = await vscode.window.showInputBox(
          {
            title: vscode.l10n.t('MCP server "{0}" needs a value', context.serverName),
            prompt: definition?.description ?? vscode.l10n.t('Value for {0}', `\${input:${id}}`),
            password: definition?.password ?? true,
            ...(definition?.default !== undefined ? { value: definition.default } : {}),
            ignoreFocusOut: true,
          },
          cancel.token,
        );
      }
      if (value === undefined) return undefined;
      await this.secrets.store(key, value);
      this.onSecret(value);
      return value;
    } finally {
      context.signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  /** For approvals: the definition of a workspace server as "Always allow" names it (undefined for the user's own servers). */
  approvalDefinition(definition: ServerDefinition | undefined): ApprovedDefinition | undefined {
    if (!definition || !this.inputs.isWorkspaceDefinition(definition)) return undefined;
    return { source: definition.source, fingerprint: this.consent.startedUnder(definition) ?? consentKey(definition) };
  }

  /**
   * A workspace server's envFile, read before its consent (the modal lists what it sets, the consent
   * key covers the values). Its path may use ${workspaceFolder}, ${userHome} and ${env:}, not ${input:}.
   */
  private async workspaceEnvFile(definition: ServerDefinition, signal: AbortSignal): Promise<{ values?: Record<string, string> } | { error: string }> {
    if (definition.type !== 'stdio' || definition.envFile === undefined || !this.inputs.isWorkspaceDefinition(definition)) return {};
    const noInputs: VariableResolver = { workspaceFolder: (name, source) => this.workspaceFolder(name, source), userHome: () => this.userHome(), env: (name) => this.env(name), input: async () => undefined };
    const pathOnly = await resolveDefinitionVariables({ name: definition.name, source: definition.source, disabled: false, type: 'stdio', command: '', args: [], env: {}, envFile: definition.envFile }, noInputs, signal);
    if (!pathOnly.ok) return { error: pathOnly.error };
    const file = pathOnly.definition.type === 'stdio' ? (pathOnly.definition.envFile ?? '') : '';
    try {
      return { values: await readEnvFile(file) };
    } catch (error) {
      return { error: `Server "${definition.name}": ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The function the ConnectionManager takes as `resolveVariables`: consent for workspace servers first, then variables. */
  resolveDefinition = async (definition: ServerDefinition, signal: AbortSignal): Promise<ResolveResult> => {
    const envFile = await this.workspaceEnvFile(definition, signal);
    if ('error' in envFile) return { ok: false, error: envFile.error };
    const refused = await this.consent.check(definition, envFile.values && envFileSnapshot(envFile.values));
    if (refused !== undefined) return { ok: false, error: refused };
    signal.throwIfAborted();
    const resolved = await resolveDefinitionVariables(definition, this, signal);
    if (resolved.ok && envFile.values && resolved.definition.type === 'stdio') {
      // The values the user allowed are the ones it gets: the file is not read again (a change in between would slip past).
      const { envFile: _readBeforeConsent, ...launch } = resolved.definition;
      return { ...resolved, definition: { ...launch, env: { ...envFile.values, ...launch.env } } };
    }
    if (resolved.ok && resolved.definition.type === 'stdio' && resolved.definition.envFile && !vscode.workspace.isTrusted) {
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      if (isInsideAnyFolder(resolved.definition.envFile, folders)) {
        return { ok: false, error: vscode.l10n.t('Server "{0}": its envFile {1} is inside this workspace, which is untrusted (Restricted Mode), so it is not read. It starts when you trust the workspace.', definition.name, resolved.definition.envFile) };
      }
    }
    return resolved;
  };
}
