/**
 * Where server definitions come from: the `mcpSampling.servers` setting, the user profile's
 * `mcp.json`, Copilot CLI's `mcp-config.json`, and each workspace folder's `.vscode/mcp.json` and
 * `.mcp.json` (trusted workspaces only). Watches them all and fires when the combined list changes.
 * The user's own files come first: a workspace server
 * cannot take a profile server's name (it is shown renamed, with a warning), so it never inherits
 * that name's serverSampling policy. Workspace servers also need consent to start (workspaceConsent).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseMcpJson, type InputDefinition } from '../../core/config/mcpJson';
import { copilotMcpConfigPath, parseMcpServersFile, WORKSPACE_MCP_SERVERS_FILE } from '../../core/config/mcpServersFile';
import { mergeServerSources, type SourceDefinitions } from '../../core/config/mergeSources';
import { parseServersObject, type DefinitionError, type ParsedServers, type ServerDefinition } from '../../core/config/serverDefinition';
import { DisposableStore, toDisposable } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import { Rerun } from '../../core/async';
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
  private readonly owned = new DisposableStore();
  private loaded: LoadedDefinitions = { definitions: [], errors: [] };
  /** `inputs` entries by declaring file and id. */
  private inputs = new Map<string, InputDefinition>();
  /** The workspace mcp.json files read by the last load. */
  private workspaceSources = new Set<string>();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** A change during a reading asks for one more: the running one may have read the file before it. */
  private readonly reloads = new Rerun(() =>
    this.load().then((loaded) => {
      this.loaded = loaded;
      for (const error of loaded.errors) this.logger.warn(`Server definitions: ${error.message}`);
      this.changeEmitter.fire(loaded);
      return loaded;
    }),
  );

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly logger: Logger,
  ) {
    const schedule = () => this.scheduleReload();
    this.owned.add(this.changeEmitter);
    this.owned.add(toDisposable(() => this.reloadTimer && clearTimeout(this.reloadTimer)));
    this.owned.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (needsReconnect(e)) schedule();
      }),
    );
    this.owned.add(vscode.workspace.onDidChangeWorkspaceFolders(schedule));
    this.owned.add(vscode.workspace.onDidGrantWorkspaceTrust(schedule));
    const watch = (pattern: vscode.GlobPattern) => {
      const watcher = this.owned.add(vscode.workspace.createFileSystemWatcher(pattern));
      for (const event of [watcher.onDidChange, watcher.onDidCreate, watcher.onDidDelete]) this.owned.add(event(schedule));
    };
    watch('**/.vscode/mcp.json');
    watch(`**/${WORKSPACE_MCP_SERVERS_FILE}`);
    const userFile = this.userMcpJsonUri();
    if (userFile) watch(new vscode.RelativePattern(vscode.Uri.joinPath(userFile, '..'), 'mcp.json'));
    const copilotFile = copilotMcpConfigUri();
    watch(new vscode.RelativePattern(vscode.Uri.joinPath(copilotFile, '..'), path.basename(copilotFile.fsPath)));
  }

  get current(): LoadedDefinitions {
    return this.loaded;
  }

  /** How to ask for `${input:id}`, from the `inputs` of the file that defines the server. */
  inputDefinition(id: string, source: string): InputDefinition | undefined {
    return this.inputs.get(`${source}\u0000${id}`);
  }

  /** Whether a definition comes from a workspace folder's .vscode/mcp.json. */
  isWorkspaceDefinition(definition: ServerDefinition): boolean {
    return this.workspaceSources.has(definition.source);
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

  /** Reads every source again; fires onDidChange. Settings come first, then the profile's mcp.json, then workspaces. */
  reload(): Promise<LoadedDefinitions> {
    return this.reloads.run();
  }

  private async load(): Promise<LoadedDefinitions> {
    const errors: DefinitionError[] = [];
    // Filled here and swapped in at the end: an input box opened during a reload still finds its entry.
    const inputs = new Map<string, InputDefinition>();
    const workspaceSources = new Set<string>();
    const fromSettings = parseServersObject(serverDefinitions(), SETTINGS_SOURCE);
    const sources: SourceDefinitions[] = [{ source: SETTINGS_SOURCE, workspace: false, definitions: fromSettings.definitions }];
    errors.push(...fromSettings.errors);
    if (readMcpJson()) {
      const files: { uri: vscode.Uri; workspace: boolean; parse: (text: string, source: string) => ParsedServers & { inputs?: readonly InputDefinition[] } }[] = [];
      const userFile = this.userMcpJsonUri();
      if (userFile) files.push({ uri: userFile, workspace: false, parse: parseMcpJson });
      // Copilot CLI's servers are the user's own, as the profile's are (no workspace consent).
      files.push({ uri: copilotMcpConfigUri(), workspace: false, parse: parseMcpServersFile });
      if (vscode.workspace.isTrusted) {
        for (const folder of vscode.workspace.workspaceFolders ?? []) {
          files.push({ uri: vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json'), workspace: true, parse: parseMcpJson });
          files.push({ uri: vscode.Uri.joinPath(folder.uri, WORKSPACE_MCP_SERVERS_FILE), workspace: true, parse: parseMcpServersFile });
        }
      }
      for (const { uri: file, workspace, parse } of files) {
        const source = file.scheme === 'file' ? file.fsPath : file.toString();
        const text = await readText(file);
        if (text === undefined) continue;
        if (text === TOO_LARGE) {
          errors.push({ source, message: vscode.l10n.t('{0} is larger than 1 MiB and was not read.', source) });
          continue;
        }
        if (workspace) workspaceSources.add(source);
        const parsed = parse(text, source);
        for (const input of parsed.inputs ?? []) {
          const key = `${source}\u0000${input.id}`;
          if (!inputs.has(key)) inputs.set(key, input);
        }
        errors.push(...parsed.errors);
        sources.push({ source, workspace, definitions: parsed.definitions });
      }
    }
    const merged = mergeServerSources(sources);
    this.workspaceSources = workspaceSources;
    this.inputs = inputs;
    return { definitions: merged.definitions, errors: [...errors, ...merged.errors] };
  }

  dispose(): void {
    this.owned.dispose();
  }
}

/** Read on each load, so a changed COPILOT_HOME applies at the next reload. */
function copilotMcpConfigUri(): vscode.Uri {
  return vscode.Uri.file(copilotMcpConfigPath(os.homedir(), process.env));
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
