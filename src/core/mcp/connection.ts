/**
 * One live connection to one MCP server: chooses the revision (2026-07-28 where the server offers it
 * through `server/discover`, else `initialize` at 2025-11-25), picks the transport, and holds the state
 * its parts share (client, transport, revision, auth session, closing) so connect, teardown and the
 * close paths see one copy of it. Its parts: transports, the stdio process, OAuth (`authSession.ts`),
 * server requests, lists, calls and rounds (`serverCalls.ts`), the log, connection loss, discovery.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult, Resource, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Event } from '../events';
import { ClientSession } from './clientSession';
import { ConnectionEvents } from './connectionEvents';
import type { ServerDefinition } from '../config/serverDefinition';
import { redactSecrets } from '../config/variables';
import { ConnectionLoss } from './connectionLoss';
import { AuthSession, SignInError } from './authSession';
import type { ProtocolExtensions } from './protocolExtensions';
import { isModernRevision } from './revisions';
import { loadClientSdk, type ClientSdk, type SdkClient as Client } from './sdk';
import { DEFAULT_CLIENT_INFO, clientCapabilities, createLegacyClient, createStatelessClient, initializeLegacy, installNotifications } from './sdkClients';
import { ServerCalls } from './serverCalls';
import { RequestContexts } from './serverRequests';
import { ServerLists } from './serverLists';
import { ServerLog } from './serverLog';
import { StdioProcess } from './stdioProcess';
import { openTransport, TimeoutError, type ModernSession, type TransportHost } from './transports';
import { errorMessage, type CallToolOptions, type ConnectionState, type ServerConnectionOptions, type ServerLogEvent, type ToolProgressEvent } from './types';

const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const LIVENESS_TIMEOUT_MS = 10_000;
const STDERR_TAIL_IN_STATUS = 20;

export class ServerConnection {
  readonly name: string;
  readonly definition: ServerDefinition;

  private readonly events = new ConnectionEvents();
  /** Fires when the status changes; `unexpected` marks a crash of a connected server. */
  readonly onDidChangeStatus: Event<ConnectionState> = this.events.status.event;
  /** Fires when tools, prompts or resources were (re)loaded. */
  readonly onDidChangeLists: Event<void> = this.events.lists.event;
  readonly onDidProgress: Event<ToolProgressEvent> = this.events.progress.event;
  /** The server's `notifications/message`. */
  readonly onDidLog: Event<ServerLogEvent> = this.events.log.event;

  private currentState: ConnectionState = { status: 'idle', stderrTail: [] };
  private readonly log: ServerLog;
  private readonly process: StdioProcess;
  private readonly lists: ServerLists;
  private readonly contexts: RequestContexts;
  /** The current SDK client with its transport and revision; teardown ends it and starts an empty one. */
  private session = new ClientSession();
  /** One per connect: outlives the resets between its attempts (a sign-in retries on a new transport). */
  private auth: AuthSession | undefined;
  private closing = false;
  /** Why the connection is going away, for the signals of requests still in flight. */
  private closeReason: string | undefined;
  private connecting: Promise<ConnectionState> | undefined;
  private abortConnect: AbortController | undefined;
  private readonly calls: ServerCalls;
  private readonly loss: ConnectionLoss;

  constructor(private readonly options: ServerConnectionOptions) {
    this.definition = options.definition;
    this.name = options.definition.name;
    this.log = new ServerLog({
      name: this.name,
      logger: options.logger,
      redact: (text) => this.redact(text),
      onLog: (event) => this.events.log.fire(event),
      onListChanged: (client, what) => {
        if (client === this.session.client) this.lists.coalescedRefresh(what);
      },
      // An HTTP transport does not close when the server dies (it retries its streams): ask.
      onProtocolError: (client) => {
        if (this.definition.type !== 'stdio') this.loss.checkAlive(client);
      },
    });
    this.process = new StdioProcess({
      name: this.name,
      logger: options.logger,
      redact: (text) => this.redact(text),
      onStderrLine: (line) => this.log.stderr(line),
      maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      ...(options.stderrLines !== undefined ? { stderrLines: options.stderrLines } : {}),
      ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    });
    this.lists = new ServerLists({
      name: this.name,
      logger: options.logger,
      redact: (text) => this.redact(text),
      client: () => this.session.client,
      capabilities: () => this.session.client?.getServerCapabilities(),
      modern: () => isModernRevision(this.session.version),
      withSignInRetry: (request) => this.withSignInRetry(request),
      changed: () => this.events.lists.fire(),
    });
    this.calls = new ServerCalls({
      name: this.name,
      options,
      loadSdk: () => (options.loadSdk ?? loadClientSdk)(),
      client: () => this.sdkClient ?? new Error(`Server "${this.name}" is not connected (${this.currentState.status}).`),
      protocolVersion: () => this.session.version,
      withSignInRetry: (request) => this.withSignInRetry(request),
      progress: (event) => this.events.progress.fire(event),
    });
    this.loss = new ConnectionLoss({
      name: this.name,
      logger: options.logger,
      process: this.process,
      redact: (text) => this.redact(text),
      isCurrent: (client) => client === this.session.client && !this.closing,
      isConnected: () => this.currentState.status === 'connected',
      probe: () => ({ version: this.session.version, loadSdk: options.loadSdk ?? loadClientSdk, withSignInRetry: (r) => this.withSignInRetry(r), timeoutMs: LIVENESS_TIMEOUT_MS }),
      setCloseReason: (reason) => {
        this.closeReason = reason;
      },
      teardown: () => this.teardown(),
      setError: (error, stderrTail) => this.setState({ status: 'error', error, stderrTail, unexpected: true }),
    });
    this.contexts = new RequestContexts({
      name: this.name,
      logger: options.logger,
      closeReason: () => this.closeReason,
      attribute: (requestId) => this.calls.attribute(requestId),
      protocolVersion: () => this.session.version,
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }
  get tools(): readonly Tool[] {
    return this.lists.tools;
  }
  get prompts(): readonly Prompt[] {
    return this.lists.prompts;
  }
  get resources(): readonly Resource[] {
    return this.lists.resources;
  }
  /** The pid of the stdio server process while it runs. */
  get processId(): number | undefined {
    return this.process.processId;
  }
  /** The MCP revision spoken while connected (`2026-07-28`, `2025-11-25`, …). */
  get protocolVersion(): string | undefined {
    return this.currentState.status === 'connected' ? this.session.version : undefined;
  }
  /** The SDK client while connected, for requests this class does not wrap (completion, templates). */
  get sdkClient(): Client | undefined {
    return this.currentState.status === 'connected' ? this.session.client : undefined;
  }
  stderrTail(count?: number): string[] {
    return this.process.stderr.tail(count);
  }
  /** Recent stderr, server log messages and status changes, oldest first. */
  logLines(): string[] {
    return this.log.tail();
  }

  /** Connects; resolves with the resulting state. Never rejects: failures end in status `error`. */
  connect(): Promise<ConnectionState> {
    if (this.currentState.status === 'connected') return Promise.resolve(this.currentState);
    this.connecting ??= this.doConnect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async doConnect(): Promise<ConnectionState> {
    this.closing = false;
    this.closeReason = undefined;
    this.process.stderr.clear();
    const abort = new AbortController();
    this.abortConnect = abort;
    this.setState({ status: 'connecting', stderrTail: [] });
    const timeoutMs = this.options.initializeTimeoutMs ?? 30_000;
    try {
      const sdk = await (this.options.loadSdk ?? loadClientSdk)();
      const opened = await openTransport(this.transportHost(sdk), sdk, timeoutMs, abort.signal);
      if (abort.signal.aborted) throw new Error('Connection was closed while connecting.');
      const serverInfo = this.session.client?.getServerVersion();
      this.setState({ status: 'connected', stderrTail: [], transport: opened.transport, protocolVersion: opened.version, ...(serverInfo ? { serverInfo } : {}) });
      this.options.logger.info(
        `[${this.name}] connected over ${opened.transport} with MCP ${opened.version}${opened.note ? ` (${opened.note})` : ''}${serverInfo ? ` to ${serverInfo.name} ${serverInfo.version}` : ''}`,
      );
      this.lists.listen(sdk);
      await this.lists.refreshAll();
      return this.currentState;
    } catch (error) {
      const wasClosing = this.closing || abort.signal.aborted;
      const message = error instanceof TimeoutError ? `The server did not answer initialize within ${Math.round(timeoutMs / 1000)} s.` : `Could not connect: ${this.redact(errorMessage(error))}`;
      await this.process.settleStderr();
      await this.teardown();
      const stderrTail = this.process.stderr.tail(STDERR_TAIL_IN_STATUS);
      if (wasClosing) {
        this.setState({ status: 'disconnected', stderrTail });
      } else {
        this.options.logger.error(`[${this.name}] ${message}`);
        this.setState({ status: 'error', error: message, stderrTail, ...(error instanceof SignInError ? { signIn: 'failed' as const } : {}) });
      }
      return this.currentState;
    } finally {
      if (this.abortConnect === abort) this.abortConnect = undefined;
    }
  }

  /** What the transport opener needs from this connection. */
  private transportHost(sdk: ClientSdk): TransportHost {
    return {
      name: this.name,
      definition: this.definition,
      options: this.options,
      logger: this.options.logger,
      process: this.process,
      maxMessageBytes: this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      streams: this.calls.streams,
      newAuthSession: (url) => {
        this.auth = new AuthSession(
          {
            name: this.name,
            logger: this.options.logger,
            redact: (text) => this.redact(text),
            showConnecting: (message) => this.setState({ status: 'connecting', stderrTail: [], ...(message ? { message } : {}) }),
            currentTransport: () => this.session.transport as never,
            isConnected: () => this.currentState.status === 'connected',
          },
          this.options.oauth,
          url,
        );
        return this.auth;
      },
      capabilities: (modern) => clientCapabilities(this.options, modern),
      toolHeaders: (toolName, args) => this.lists.toolParamHeaders(toolName, args),
      listenStreamEnded: () => this.lists.listenStreamEnded(),
      clientInfo: this.options.clientInfo ?? DEFAULT_CLIENT_INFO,
      adopt: (transport) => {
        this.session.transport = transport;
      },
      connectLegacy: (transport, signal) => this.connectLegacy(sdk, transport, signal),
      connectModern: (transport, modern) => this.connectModern(sdk, transport, modern),
      reportProtocolError: (error) => this.log.protocolError(error),
      reset: () => this.teardown(),
    };
  }

  /** `initialize` at 2025-11-25 (the SDK's own handshake), with the server-request handlers installed. */
  private async connectLegacy(sdk: ClientSdk, transport: Transport, signal: AbortSignal): Promise<string> {
    const { client, extensions } = await createLegacyClient(sdk, this.options, this.name, this.contexts, (requestId, peek) => this.calls.attribute(requestId, peek));
    this.adopt(sdk, client, transport, extensions, undefined);
    const version = await initializeLegacy(client, transport, this.options.initializeTimeoutMs ?? 30_000, signal);
    this.session.onClose(client, () => this.loss.closed(client));
    this.session.version = version;
    return version;
  }

  /** 2026-07-28: no handshake; the client adopts what discovery said and sends the envelope on every request. */
  private async connectModern(sdk: ClientSdk, transport: Transport, session: ModernSession): Promise<string> {
    const client = createStatelessClient(sdk, this.options, session);
    this.adopt(sdk, client, transport, undefined, session.version);
    await client.connect(transport);
    this.session.onClose(client, () => this.loss.closed(client));
    return session.version;
  }

  private adopt(sdk: ClientSdk, client: Client, transport: Transport, extensions: ProtocolExtensions | undefined, version: string | undefined): void {
    installNotifications(sdk, client, this.log.notifications);
    this.session.adopt(client, transport, extensions, version);
  }

  /**
   * Runs a request; when it failed for want of a sign-in (401, or 403 insufficient_scope) that then
   * succeeded, runs it once more. For requests made on `sdkClient` directly.
   */
  withSignInRetry<T>(request: () => Promise<T>): Promise<T> {
    return this.auth ? this.auth.withSignInRetry(request) : request();
  }

  /** Reloads tools, prompts and resources the server offers. Failures are logged, not thrown. */
  refreshLists(): Promise<void> {
    return this.lists.refreshAll();
  }

  /** Calls a tool, answering `input_required` rounds. Rejects when not connected, on timeout, cancellation or a dropped connection. */
  callTool(toolName: string, args: Record<string, unknown> | undefined, options: CallToolOptions = {}): Promise<CallToolResult> {
    return this.calls.callTool(toolName, args, options);
  }

  /** Gets a prompt, answering `input_required` rounds. */
  getPrompt(name: string, args: Record<string, string> | undefined, options: CallToolOptions = {}): Promise<GetPromptResult> {
    return this.calls.getPrompt(name, args, options);
  }

  /** Reads a resource, answering `input_required` rounds. */
  readResource(uri: string, options: CallToolOptions = {}): Promise<ReadResourceResult> {
    return this.calls.readResource(uri, options);
  }

  /** Tells the server the roots changed (2025-era servers only). */
  sendRootsListChanged(): Promise<void> {
    return this.calls.sendRootsListChanged();
  }

  /** Closes the connection and ends the server's whole process tree. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    this.closeReason ??= `The connection to "${this.name}" was closed.`;
    this.abortConnect?.abort();
    if (this.connecting) await this.connecting;
    const hadConnection = this.session.client !== undefined;
    await this.teardown();
    if (hadConnection || this.currentState.status === 'connected' || this.currentState.status === 'connecting') {
      this.setState({ status: 'disconnected', stderrTail: this.process.stderr.tail(STDERR_TAIL_IN_STATUS) });
      this.options.logger.info(`[${this.name}] disconnected`);
    }
  }

  /** Closes the client and transport; for stdio, ends the process and all its descendants. */
  private async teardown(): Promise<void> {
    this.auth?.endSession();
    const ended = this.session;
    this.session = new ClientSession();
    this.lists.clear();
    await this.process.stop(ended.end(this.closeReason ?? `The connection to "${this.name}" was closed.`));
  }

  private redact(text: string): string {
    return this.options.secrets?.size ? redactSecrets(text, this.options.secrets) : text;
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.log.status(state);
    this.events.status.fire(state);
  }

  dispose(): Promise<void> {
    return this.close().finally(() => {
      this.events.dispose();
    });
  }
}
