/**
 * Where server definitions come from: the `mcpSampling.servers` setting, each workspace folder's
 * `.vscode/mcp.json` (trusted workspaces only) and the user profile's `mcp.json`. Watches them all
 * and fires when the combined list changes.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMcpJson, type InputDefinition } from '../../core/config/mcpJson';
import { parseServersObject, type DefinitionError, type ServerDefinition } from '../../core/config/serverDefinition';
import type { Logger } from '../../core/logger';
import { needsReconnect, readMcpJson, serverDefinitions } from '../config';

export const SETTINGS_SOURCE = 'settings';

export interface LoadedDefinitions {
  readonly definitions: readonly ServerDefinition[];
  readonly errors: readonly DefinitionError[];
}

export class ServerSources implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<LoadedDefinitions>();
  /** Fires after a reload with the new definitions. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter];
  private loaded: LoadedDefinitions = { definitions: [], errors: [] };
  private readonly inputs = new Map<string, InputDefinition>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private reloading: Promise<LoadedDefinitions> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {
    const schedule = () => this.scheduleReload();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (needsReconnect(e)) schedule();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(schedule),
      vscode.workspace.onDidGrantWorkspaceTrust(schedule),
    );
    const workspaceWatcher = vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json');
    this.disposables.push(workspaceWatcher, workspaceWatcher.onDidChange(schedule), workspaceWatcher.onDidCreate(schedule), workspaceWatcher.onDidDelete(schedule));
    const userFile = this.userMcpJsonUri();
    if (userFile) {
      const userWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(userFile, '..'), 'mcp.json'));
      this.disposables.push(userWatcher, userWatcher.onDidChange(schedule), userWatcher.onDidCreate(schedule), userWatcher.onDidDelete(schedule));
    }
  }

  get current(): LoadedDefinitions {
    return this.loaded;
  }

  /** How to ask for `${input:id}`, from the `inputs` of the mcp.json files. */
  inputDefinition(id: string): InputDefinition | undefined {
    return this.inputs.get(id);
  }

  /** The source of a server, for display and for the sampling pipeline's "always allow". */
  sourceOf(serverName: string): string {
    return this.loaded.definitions.find((d) => d.name === serverName)?.source ?? SETTINGS_SOURCE;
  }

  /** The user profile's mcp.json sits beside the profile's globalStorage folder. */
  userMcpJsonUri(): vscode.Uri | undefined {
    const storage = this.context.globalStorageUri;
    if (storage.scheme !== 'file') return undefined;
    return vscode.Uri.file(path.resolve(storage.fsPath, '..', '..', 'mcp.json'));
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    // Editors save in bursts; one reload per burst.
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.reload();
    }, 200);
  }

  /** Reads every source again; fires onDidChange. Settings come first, so a settings entry wins a name clash. */
  reload(): Promise<LoadedDefinitions> {
    this.reloading ??= this.load()
      .then((loaded) => {
        this.loaded = loaded;
        for (const error of loaded.errors) this.logger.warn(`Server definitions: ${error.message}`);
        this.changeEmitter.fire(loaded);
        return loaded;
      })
      .finally(() => {
        this.reloading = undefined;
      });
    return this.reloading;
  }

  private async load(): Promise<LoadedDefinitions> {
    const definitions: ServerDefinition[] = [];
    const errors: DefinitionError[] = [];
    this.inputs.clear();
    const fromSettings = parseServersObject(serverDefinitions(), SETTINGS_SOURCE);
    definitions.push(...fromSettings.definitions);
    errors.push(...fromSettings.errors);
    if (readMcpJson()) {
      const files: vscode.Uri[] = [];
      if (vscode.workspace.isTrusted) {
        for (const folder of vscode.workspace.workspaceFolders ?? []) files.push(vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json'));
      }
      const userFile = this.userMcpJsonUri();
      if (userFile) files.push(userFile);
      for (const file of files) {
        const source = file.scheme === 'file' ? file.fsPath : file.toString();
        const text = await readText(file);
        if (text === undefined) continue;
        if (text === TOO_LARGE) {
          errors.push({ source, message: `${source} is larger than 1 MiB and was not read.` });
          continue;
        }
        const parsed = parseMcpJson(text, source);
        for (const input of parsed.inputs) if (!this.inputs.has(input.id)) this.inputs.set(input.id, input);
        errors.push(...parsed.errors);
        for (const definition of parsed.definitions) {
          if (definitions.some((d) => d.name === definition.name)) {
            errors.push({ serverName: definition.name, source, message: `Server "${definition.name}" in ${source} is ignored: a server with that name is already defined.` });
          } else {
            definitions.push(definition);
          }
        }
      }
    }
    return { definitions, errors };
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const d of this.disposables) d.dispose();
  }
}

const TOO_LARGE = Symbol('too large');

/** The file's text; undefined when it does not exist. */
async function readText(uri: vscode.Uri): Promise<string | typeof TOO_LARGE | undefined> {
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > 1024 * 1024) return TOO_LARGE;
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}
