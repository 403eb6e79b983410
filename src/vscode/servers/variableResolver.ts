/**
 * Answers `${…}` variables for server definitions in VS Code. `${input:id}` is asked once (with the
 * description and password flag from mcp.json's `inputs`) and kept in SecretStorage.
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { InputDefinition } from '../../core/config/mcpJson';
import { resolveDefinitionVariables, type ResolveResult, type VariableResolver } from '../../core/config/variables';
import type { ServerDefinition } from '../../core/config/serverDefinition';

const SECRET_PREFIX = 'mcpSampling.input.';

export interface InputLookup {
  inputDefinition(id: string): InputDefinition | undefined;
}

export class VsCodeVariableResolver implements VariableResolver {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly inputs: InputLookup,
    /** Called with every input value, so the logger can mask it. */
    private readonly onSecret: (value: string) => void = () => {},
  ) {}

  workspaceFolder(folderName: string | undefined): string | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folderName === undefined ? folders[0] : folders.find((f) => f.name === folderName);
    return folder?.uri.scheme === 'file' ? folder.uri.fsPath : folder?.uri.toString();
  }

  userHome(): string {
    return os.homedir();
  }

  env(name: string): string | undefined {
    return process.env[name];
  }

  async input(id: string, context: { readonly serverName: string; readonly signal?: AbortSignal }): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_PREFIX + id);
    if (stored !== undefined) {
      this.onSecret(stored);
      return stored;
    }
    const definition = this.inputs.inputDefinition(id);
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    context.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let value: string | undefined;
      if (definition?.type === 'pickString' && definition.options?.length) {
        value = await vscode.window.showQuickPick([...definition.options], { title: `MCP server "${context.serverName}"`, placeHolder: definition.description ?? id, ignoreFocusOut: true }, cancel.token);
      } else {
        value = await vscode.window.showInputBox(
          {
            title: `MCP server "${context.serverName}" needs a value`,
            prompt: definition?.description ?? `Value for \${input:${id}}`,
            password: definition?.password ?? true,
            ...(definition?.default !== undefined ? { value: definition.default } : {}),
            ignoreFocusOut: true,
          },
          cancel.token,
        );
      }
      if (value === undefined) return undefined;
      await this.secrets.store(SECRET_PREFIX + id, value);
      this.onSecret(value);
      return value;
    } finally {
      context.signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  /** Forgets a stored input, so it is asked again on the next connect. */
  async forgetInput(id: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + id);
  }

  /** The function the ConnectionManager takes as `resolveVariables`. */
  resolveDefinition = (definition: ServerDefinition, signal: AbortSignal): Promise<ResolveResult> => resolveDefinitionVariables(definition, this, signal);
}
