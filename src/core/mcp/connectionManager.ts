/**
 * Owns one ServerConnection per server name: applies definition changes (reconnecting only what
 * changed), reconnects crashed servers with bounded exponential backoff, and routes tool calls.
 */
import type { CallToolResult, Prompt, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import { Emitter, type Event } from '../events';
import { DisposableStore } from '../lifetime';
import { definitionKey, type ServerDefinition } from '../config/serverDefinition';
import type { ResolveResult } from '../config/variables';
import type { ServerConnection } from './connection';
import type { CallToolOptions, ConnectionState, ServerLogEvent, ToolProgressEvent } from './types';
import { defaultConnectionFactory, type ConnectionFactory, type ConnectionManagerOptions } from './connectionFactory';
import { DEFAULT_RECONNECT, nextReconnect, realTimers, type ReconnectPolicy, type Timers } from './reconnectPolicy';
import { detachedStatus, statusOf, type Managed, type ServerStatus, type StatusChangeEvent } from './serverStatus';

export type { ReconnectPolicy, Timers } from './reconnectPolicy';
export { defaultConnectionFactory, type ConnectionFactory, type ConnectionManagerOptions } from './connectionFactory';
export type { ServerStatus, StatusChangeEvent } from './serverStatus';


export class ConnectionManager {
  private readonly servers = new Map<string, Managed>();
  private readonly statusEmitter = new Emitter<StatusChangeEvent>();
  private readonly serversEmitter = new Emitter<void>();
  private readonly listsEmitter = new Emitter<string>();
  private readonly progressEmitter = new Emitter<ToolProgressEvent>();
  private readonly logEmitter = new Emitter<ServerLogEvent>();
  private readonly policy: ReconnectPolicy;
  private readonly timers: Timers;
  private disposed = false;

  readonly onDidChangeStatus: Event<StatusChangeEvent> = this.statusEmitter.event;
  /** Servers were added or removed, or a definition changed in a way that needs no reconnect (source, gateway). */
  readonly onDidChangeServers: Event<void> = this.serversEmitter.event;
  /** A server's tools, prompts or resources were reloaded (the server name). */
  readonly onDidChangeLists: Event<string> = this.listsEmitter.event;
  readonly onDidProgress: Event<ToolProgressEvent> = this.progressEmitter.event;
  readonly onDidLog: Event<ServerLogEvent> = this.logEmitter.event;

  private readonly createConnection: ConnectionFactory;

  constructor(private readonly options: ConnectionManagerOptions) {
    this.createConnection = options.createConnection ?? defaultConnectionFactory(options);
    this.policy = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.timers = options.timers ?? realTimers;
  }

  /** Every known server, in definition order. */
  list(): ServerStatus[] {
    return [...this.servers.keys()].map((name) => this.status(name)!);
  }

  status(name: string): ServerStatus | undefined {
    const managed = this.servers.get(name);
    return managed ? statusOf(managed, this.policy.maxAttempts) : undefined;
  }

  /**
   * Applies a new set of definitions: removed servers are disconnected, changed ones reconnected,
   * unchanged ones left alone. Resolves when the connects it started have settled.
   */
  async update(definitions: readonly ServerDefinition[]): Promise<void> {
    if (this.disposed) return;
    const next = new Map<string, ServerDefinition>();
    for (const definition of definitions) {
      if (next.has(definition.name)) {
        this.options.logger.warn(`Server "${definition.name}" is defined more than once; using the one from ${next.get(definition.name)!.source}, ignoring ${definition.source}.`);
        continue;
      }
      next.set(definition.name, definition);
    }
    const work: Promise<unknown>[] = [];
    let membershipChanged = false;
    for (const [name, managed] of [...this.servers]) {
      if (!next.has(name)) {
        membershipChanged = true;
        managed.removed = true;
        this.servers.delete(name);
        work.push(this.stop(managed));
      }
    }
    for (const [name, definition] of next) {
      const key = definitionKey(definition);
      const managed = this.servers.get(name);
      if (managed && managed.key === key) {
        // Nothing to reconnect, but its source or gateway exposure may have changed: say so.
        if (JSON.stringify(managed.definition) !== JSON.stringify(definition)) membershipChanged = true;
        managed.definition = definition;
        continue;
      }
      if (managed) {
        this.options.logger.info(`[${name}] definition changed; reconnecting`);
        // Known at once, not after the stop: another change while the old connection closes is
        // compared with this one, and the newest definition is the one that starts.
        managed.definition = definition;
        managed.key = key;
        work.push(
          this.stop(managed).then(() => {
            if (managed.key !== key || managed.removed) return undefined;
            managed.userStopped = false;
            managed.attempt = 0;
            this.setState(managed, { status: 'idle', stderrTail: [] });
            if (this.shouldAutoConnect(managed)) return this.connect(name);
            return undefined;
          }),
        );
        continue;
      }
      membershipChanged = true;
      const added: Managed = {
        definition,
        key,
        connection: undefined,
        lifetime: undefined,
        state: { status: 'idle', stderrTail: [] },
        userStopped: false,
        attempt: 0,
        connectedAt: undefined,
        retryTimer: undefined,
        retryAt: undefined,
        connecting: undefined,
        resolveAbort: undefined,
        removed: false,
      };
      this.servers.set(name, added);
      if (this.shouldAutoConnect(added)) work.push(this.connect(name));
    }
    if (membershipChanged) this.serversEmitter.fire();
    await Promise.allSettled(work);
  }

  private shouldAutoConnect(managed: Managed): boolean {
    return !managed.definition.disabled && !this.disposed;
  }

  /** Connects a server (also a disabled one, on explicit request). Never rejects. */
  connect(name: string): Promise<ServerStatus> {
    const managed = this.servers.get(name);
    if (!managed) return Promise.reject(new Error(`No server named "${name}".`));
    managed.userStopped = false;
    this.clearRetry(managed);
    return this.startConnection(managed);
  }

  private startConnection(managed: Managed): Promise<ServerStatus> {
    if (managed.connecting) return managed.connecting;
    if (managed.connection && managed.state.status === 'connected') return Promise.resolve(this.status(managed.definition.name)!);
    managed.connecting = this.doConnect(managed).finally(() => {
      managed.connecting = undefined;
    });
    return managed.connecting;
  }

  private async doConnect(managed: Managed): Promise<ServerStatus> {
    const name = managed.definition.name;
    const definition = managed.definition;
    await this.disposeConnection(managed);
    let resolved: ServerDefinition = definition;
    let secrets: ReadonlySet<string> = new Set();
    if (this.options.resolveVariables) {
      const abort = new AbortController();
      managed.resolveAbort = abort;
      this.setState(managed, { status: 'connecting', stderrTail: [] });
      const result = await this.options.resolveVariables(definition, abort.signal).catch(
        (error: unknown): ResolveResult => ({ ok: false, error: `Server "${name}": ${error instanceof Error ? error.message : String(error)}` }),
      );
      managed.resolveAbort = undefined;
      if (abort.signal.aborted || managed.definition !== definition || managed.removed) return this.status(name) ?? detachedStatus(managed);
      if (!result.ok) {
        this.options.logger.error(result.error);
        this.setState(managed, { status: 'error', error: result.error, stderrTail: [] });
        return this.status(name)!;
      }
      resolved = result.definition;
      secrets = result.secrets;
    }
    const connection = this.createConnection(resolved, secrets);
    // The connection's lifetime: what the manager hung on it ends with it (disposeConnection).
    const lifetime = new DisposableStore();
    managed.connection = connection;
    managed.lifetime = lifetime;
    lifetime.add(connection.onDidChangeStatus((state) => this.onConnectionStatus(managed, connection, state)));
    lifetime.add(connection.onDidChangeLists(() => this.listsEmitter.fire(name)));
    lifetime.add(connection.onDidProgress((event) => this.progressEmitter.fire(event)));
    lifetime.add(connection.onDidLog((event) => this.logEmitter.fire(event)));
    await connection.connect();
    return this.status(name) ?? detachedStatus(managed);
  }

  private onConnectionStatus(managed: Managed, connection: ServerConnection, state: ConnectionState): void {
    if (managed.connection !== connection) return;
    if (state.status === 'connected') managed.connectedAt = this.timers.now();
    this.setState(managed, state);
    if (state.status === 'error' && state.unexpected) this.scheduleReconnect(managed);
  }

  /** After a crash: wait, then connect again; the delay doubles per failed attempt, up to maxAttempts. */
  private scheduleReconnect(managed: Managed): void {
    if (this.disposed || managed.userStopped || managed.removed) return;
    const now = this.timers.now();
    const next = nextReconnect(this.policy, managed.attempt, managed.connectedAt, now);
    managed.connectedAt = undefined;
    if (next.giveUp) {
      this.options.logger.error(`[${managed.definition.name}] gave up reconnecting after ${next.attempt} attempts.`);
      managed.attempt = 0;
      return;
    }
    const delay = next.delayMs;
    managed.attempt = next.attempt;
    managed.retryAt = now + delay;
    this.options.logger.info(`[${managed.definition.name}] reconnecting in ${delay} ms (attempt ${managed.attempt} of ${this.policy.maxAttempts})`);
    managed.retryTimer = this.timers.setTimeout(() => {
      managed.retryTimer = undefined;
      managed.retryAt = undefined;
      if (this.disposed || managed.userStopped || managed.removed) return;
      void this.startConnection(managed).then((status) => {
        // A failed reconnect counts as another crash for the backoff; one that failed at sign-in
        // (the user cancelled it, or the server refused) would only ask again: it waits for the user.
        if (status.status === 'error' && status.signIn !== 'failed' && !managed.userStopped && !managed.removed) this.scheduleReconnect(managed);
      });
    }, delay);
    this.fireStatus(managed);
  }

  private clearRetry(managed: Managed): void {
    if (managed.retryTimer !== undefined) this.timers.clearTimeout(managed.retryTimer);
    managed.retryTimer = undefined;
    managed.retryAt = undefined;
  }

  /** Disconnects and stays disconnected until `connect` or a definition change. */
  async disconnect(name: string): Promise<void> {
    const managed = this.servers.get(name);
    if (!managed) throw new Error(`No server named "${name}".`);
    managed.userStopped = true;
    managed.attempt = 0;
    await this.stop(managed);
    if (managed.state.status !== 'idle' && managed.state.status !== 'disconnected') {
      this.setState(managed, { status: 'disconnected', stderrTail: managed.state.stderrTail });
    }
  }

  async restart(name: string): Promise<ServerStatus> {
    const managed = this.servers.get(name);
    if (!managed) throw new Error(`No server named "${name}".`);
    managed.userStopped = true;
    await this.stop(managed);
    managed.attempt = 0;
    return this.connect(name);
  }

  /**
   * One stop at a time per server: a stop that overlapped an earlier one could wait for a connection
   * made after the earlier one ended and close it (two definition changes in a row).
   */
  private stop(managed: Managed): Promise<void> {
    const run = (managed.stopping ?? Promise.resolve()).then(() => this.stopNow(managed));
    managed.stopping = run.catch(() => undefined);
    return run;
  }

  private async stopNow(managed: Managed): Promise<void> {
    this.clearRetry(managed);
    managed.resolveAbort?.abort();
    await this.disposeConnection(managed);
    if (managed.connecting) await managed.connecting.catch(() => undefined);
    await this.disposeConnection(managed);
  }

  private async disposeConnection(managed: Managed): Promise<void> {
    const connection = managed.connection;
    if (!connection) return;
    const wasActive = managed.state.status === 'connected' || managed.state.status === 'connecting';
    // Keep listening until closed so the final state (with the stderr tail) is recorded; the manager
    // made the connection, so it also ends it (its events, and whoever else listened to them).
    await connection.dispose();
    // Closed twice (two stops), the later close finds it handled, or a newer connection in its place.
    if (managed.connection !== connection) return;
    managed.lifetime?.dispose();
    managed.lifetime = undefined;
    managed.connection = undefined;
    if (wasActive && managed.state.status !== 'disconnected') this.setState(managed, { status: 'disconnected', stderrTail: managed.state.stderrTail });
  }

  getConnection(name: string): ServerConnection | undefined {
    return this.servers.get(name)?.connection;
  }

  listTools(name: string): readonly Tool[] {
    return this.getConnection(name)?.tools ?? [];
  }
  listPrompts(name: string): readonly Prompt[] {
    return this.getConnection(name)?.prompts ?? [];
  }
  listResources(name: string): readonly Resource[] {
    return this.getConnection(name)?.resources ?? [];
  }

  async refreshLists(name: string): Promise<void> {
    await this.getConnection(name)?.refreshLists();
  }

  /** Recent stderr, server log messages and status changes of a server. */
  logLines(name: string): string[] {
    return this.getConnection(name)?.logLines() ?? [];
  }

  async callTool(name: string, toolName: string, args: Record<string, unknown> | undefined, options: CallToolOptions = {}): Promise<CallToolResult> {
    const connection = this.getConnection(name);
    if (!connection || connection.state.status !== 'connected') {
      throw new Error(`Server "${name}" is not connected${this.servers.has(name) ? '' : ' (no server by that name)'}.`);
    }
    return connection.callTool(toolName, args, { ...options, timeoutMs: options.timeoutMs ?? this.options.toolCallTimeoutMs?.() ?? 600_000 });
  }

  /** Tells every connected server that the roots changed. */
  async notifyRootsChanged(): Promise<void> {
    await Promise.allSettled([...this.servers.values()].map((m) => m.connection?.sendRootsListChanged()));
  }

  private setState(managed: Managed, state: ConnectionState): void {
    managed.state = state;
    this.fireStatus(managed);
  }

  private fireStatus(managed: Managed): void {
    if (managed.removed) return;
    const status = this.status(managed.definition.name);
    if (status) this.statusEmitter.fire({ name: managed.definition.name, status });
  }

  /** Closes every connection (and process tree). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.servers.values()];
    for (const managed of all) this.clearRetry(managed);
    await Promise.allSettled(all.map((managed) => this.stop(managed)));
    this.servers.clear();
    this.statusEmitter.dispose();
    this.serversEmitter.dispose();
    this.listsEmitter.dispose();
    this.progressEmitter.dispose();
    this.logEmitter.dispose();
  }
}
