/**
 * One live connection to one MCP server, through the SDK's Client: picks the transport, declares
 * our capabilities (sampling, roots), forwards sampling requests to the injected handler, keeps the
 * server's stderr and lists, and on close leaves no process behind.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  CallToolResult,
  ClientCapabilities,
  CreateMessageResult,
  CreateMessageResultWithTools,
  Implementation,
  LoggingLevel,
  Prompt,
  Resource,
  Root,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { Emitter, type Event } from '../events';
import type { Logger } from '../logger';
import type { ServerDefinition, StdioServerDefinition } from '../config/serverDefinition';
import { readEnvFile } from '../config/envFile';
import { redactSecrets } from '../config/variables';
import { LineRingBuffer } from './lineBuffer';
import { killProcessTree, listDescendants, terminateProcesses } from './processTree';
import { installLinearReadBuffer } from './stdioReadBuffer';
import { createLimitedFetch } from './limitedFetch';
import { runWithInputRounds, type InputRequestContext, type InputRequestHandlers } from '../rounds/roundHandler';
import { sdkRoundCall } from '../rounds/sdkCall';
import type { TaskSamplingOptions } from '../rounds/taskSampling';
import { createProtocolExtensions, type ElicitationHandler, type ProtocolExtensions } from './protocolExtensions';

export type { ElicitationHandler } from './protocolExtensions';
import { loadClientSdk, type ClientSdk, type SdkClient as Client } from './sdk';
import { StoredOAuthProvider, type OAuthConnectionOptions } from './oauth';

export type { OAuthConnectionOptions } from './oauth';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'error';
export type TransportKind = 'stdio' | 'streamableHttp' | 'sse';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Why the connection failed or was lost (status `error`). */
  readonly error?: string;
  /** The last stderr lines of a stdio server, at the time of the status change. */
  readonly stderrTail: readonly string[];
  readonly transport?: TransportKind;
  readonly serverInfo?: Implementation;
  /** True when a connected server went away without us closing it: the manager reconnects. */
  readonly unexpected?: boolean;
  /** What a `connecting` connection waits for, e.g. sign-in in the browser. */
  readonly message?: string;
}

export interface SamplingRequestContext {
  readonly serverName: string;
  /** The JSON-RPC id the server gave its `sampling/createMessage` request. */
  readonly requestId: string | number;
  /** Aborted when the server cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  readonly progressToken?: string | number;
  /** Present when the request carries a progress token: each call sends `notifications/progress` to the server. */
  readonly sendProgress?: (message?: string) => void;
  /** The tool call running on this connection when the request arrived, when it is unambiguous. */
  readonly toolCall?: { readonly name: string };
}

/** Answers a server's `sampling/createMessage`. `params` is the request's params as the SDK parsed them. */
export type SamplingHandler = (params: unknown, context: SamplingRequestContext) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

/** The workspace roots offered to servers (`roots/list`). */
export interface RootsSource {
  listRoots(): Promise<readonly Root[]> | readonly Root[];
}

export interface ToolProgressEvent {
  readonly serverName: string;
  readonly toolName: string;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface ServerLogEvent {
  readonly serverName: string;
  readonly level: LoggingLevel;
  readonly logger?: string;
  readonly text: string;
}

export interface CallToolOptions {
  readonly signal?: AbortSignal;
  /** Cancels the call after this long without progress (the SDK resets it on each progress). */
  readonly timeoutMs?: number;
  /** An upper bound regardless of progress. */
  readonly maxTotalTimeoutMs?: number;
}

export interface ServerConnectionOptions {
  /** A definition whose variables are already substituted. */
  readonly definition: ServerDefinition;
  readonly logger: Logger;
  readonly samplingHandler: SamplingHandler;
  readonly rootsSource?: RootsSource;
  /** Answers `elicitation/create`; the `elicitation` capability is declared only with one. */
  readonly elicitationHandler?: ElicitationHandler;
  /** Which elicitation modes to declare (default: form only). */
  readonly elicitationModes?: { readonly form?: boolean; readonly url?: boolean };
  /**
   * Answers `sampling/createMessage` embedded in `input_required` tool results (route
   * `input-required`); without it, `samplingHandler` answers those too.
   */
  readonly inputRequiredSamplingHandler?: SamplingHandler;
  /**
   * Task-augmented sampling (2025-11-25 `tasks.requests.sampling.createMessage`): a request with
   * `params.task` is answered at once with a task while the pipeline runs in the background.
   * Declared only when given.
   */
  readonly taskSampling?: TaskSamplingOptions | false;
  /** Declare `sampling.tools` (2025-11-25 tool use inside sampling). */
  readonly samplingTools?: boolean;
  readonly clientInfo?: Implementation;
  /** How long `initialize` may take before the connection ends in `error`. Default 30 s. */
  readonly initializeTimeoutMs?: number;
  /** How long a stdio server gets to exit after stdin closes, and then after SIGTERM. Default 2 s. */
  readonly killGraceMs?: number;
  readonly stderrLines?: number;
  /**
   * The largest single message read from a server (a stdio line, an HTTP body, an SSE event). Larger ones close
   * the connection, so keep it above mcpSampling.limits.maxRequestBytes for the pipeline to refuse
   * oversized requests politely. Default 64 MiB.
   */
  readonly maxMessageBytes?: number;
  /** Values (from `${input:}`) that must never reach a log. */
  readonly secrets?: ReadonlySet<string>;
  /**
   * OAuth for http/sse servers: with it, a server that answers 401 gets the browser sign-in (through
   * `ui`) and its tokens are kept in `store`; without it, a 401 ends the connection in `error`.
   */
  readonly oauth?: OAuthConnectionOptions;
  /** Test seam: the SDK loader. */
  readonly loadSdk?: () => Promise<ClientSdk>;
}

const DEFAULT_CLIENT_INFO: Implementation = { name: 'mcp-sampling-client', version: '0.1.0' };
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_LIST_PAGES = 50;
const LIVENESS_TIMEOUT_MS = 10_000;
const MAX_LIST_ITEMS = 5000;
const MAX_LOG_TEXT = 4000;
const STDERR_TAIL_IN_STATUS = 20;
/** Sign-ins per connect: a server that keeps refusing fresh tokens must not open the browser in a loop. */
const MAX_AUTHORIZATIONS_PER_CONNECT = 2;
export const WAITING_FOR_SIGN_IN = 'Waiting for sign-in in the browser…';

/** An HTTP transport that can take the authorization code of a finished sign-in. */
type AuthorizingTransport = Transport & { finishAuth(authorizationCode: string): Promise<void> };

class TimeoutError extends Error {}

/** The parts of the SDK's RequestHandlerExtra used for server-to-client requests. */
interface RequestExtra {
  readonly requestId: string | number;
  readonly signal: AbortSignal;
  sendNotification(notification: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message?: string } }): Promise<void>;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function levelToLogger(logger: Logger, level: LoggingLevel): (message: string) => void {
  switch (level) {
    case 'debug':
      return (m) => logger.debug(m);
    case 'info':
    case 'notice':
      return (m) => logger.info(m);
    case 'warning':
      return (m) => logger.warn(m);
    default:
      return (m) => logger.error(m);
  }
}

export class ServerConnection {
  readonly name: string;
  readonly definition: ServerDefinition;

  private readonly statusEmitter = new Emitter<ConnectionState>();
  private readonly listsEmitter = new Emitter<void>();
  private readonly progressEmitter = new Emitter<ToolProgressEvent>();
  private readonly logEmitter = new Emitter<ServerLogEvent>();
  /** Fires when the status changes; `unexpected` marks a crash of a connected server. */
  readonly onDidChangeStatus: Event<ConnectionState> = this.statusEmitter.event;
  /** Fires when tools, prompts or resources were (re)loaded. */
  readonly onDidChangeLists: Event<void> = this.listsEmitter.event;
  readonly onDidProgress: Event<ToolProgressEvent> = this.progressEmitter.event;
  /** The server's `notifications/message`. */
  readonly onDidLog: Event<ServerLogEvent> = this.logEmitter.event;

  private currentState: ConnectionState = { status: 'idle', stderrTail: [] };
  private readonly stderr: LineRingBuffer;
  /** Everything worth showing in "Show Server Log": stderr, server log messages, status changes. */
  private readonly log = new LineRingBuffer(1000, 4096, (line) => this.redact(line));
  private client: Client | undefined;
  private transport: Transport | undefined;
  private pid: number | undefined;
  private closing = false;
  private checkingAlive = false;
  /** Why the connection is going away, for the signals of sampling requests still in flight. */
  private closeReason: string | undefined;
  /** Sampling requests in flight on the current client, by the server's request id. */
  private readonly samplingControllers = new Map<string | number, AbortController>();
  /** Per SDK client: elicitation and task sampling (their tasks end on teardown). */
  private readonly extensions = new WeakMap<Client, ProtocolExtensions>();
  private connecting: Promise<ConnectionState> | undefined;
  /** The OAuth provider of the current HTTP connection, when OAuth is configured. */
  private authProvider: StoredOAuthProvider | undefined;
  /** Aborts a sign-in started during the session when the connection goes away. */
  private sessionAbort = new AbortController();
  private sessionSignIn: Promise<boolean> | undefined;
  private sessionSignIns = 0;
  /** Counts finished sign-ins, so a request refused before one finished retries without another. */
  private signInGeneration = 0;
  private abortConnect: AbortController | undefined;
  private stderrEnded: Promise<void> = Promise.resolve();
  private readonly runningToolCalls = new Map<number, string>();
  private nextToolCallId = 1;
  private toolList: Tool[] = [];
  private promptList: Prompt[] = [];
  private resourceList: Resource[] = [];
  private readonly listRefreshes = new Map<'tools' | 'prompts' | 'resources', Promise<void>>();
  private readonly staleLists = new Set<'tools' | 'prompts' | 'resources'>();

  constructor(private readonly options: ServerConnectionOptions) {
    this.definition = options.definition;
    this.name = options.definition.name;
    // Redacted as kept: the tail is shown in the Servers view and in status events.
    this.stderr = new LineRingBuffer(options.stderrLines ?? 200, 4096, (line) => this.redact(line));
  }

  get state(): ConnectionState {
    return this.currentState;
  }
  get tools(): readonly Tool[] {
    return this.toolList;
  }
  get prompts(): readonly Prompt[] {
    return this.promptList;
  }
  get resources(): readonly Resource[] {
    return this.resourceList;
  }
  /** The pid of the stdio server process while it runs. */
  get processId(): number | undefined {
    return this.pid;
  }
  /** The SDK client while connected, for requests this class does not wrap (prompts, resources, completion). */
  get sdkClient(): Client | undefined {
    return this.currentState.status === 'connected' ? this.client : undefined;
  }
  stderrTail(count?: number): string[] {
    return this.stderr.tail(count);
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
    this.stderr.clear();
    const abort = new AbortController();
    this.abortConnect = abort;
    this.setState({ status: 'connecting', stderrTail: [] });
    const timeoutMs = this.options.initializeTimeoutMs ?? 30_000;
    try {
      const sdk = await (this.options.loadSdk ?? loadClientSdk)();
      const kind = await this.connectWithFallback(sdk, timeoutMs, abort.signal);
      if (abort.signal.aborted) throw new Error('Connection was closed while connecting.');
      const serverInfo = this.client?.getServerVersion();
      this.setState({ status: 'connected', stderrTail: [], transport: kind, ...(serverInfo ? { serverInfo } : {}) });
      this.options.logger.info(`[${this.name}] connected over ${kind}${serverInfo ? ` to ${serverInfo.name} ${serverInfo.version}` : ''}`);
      await this.refreshLists();
      return this.currentState;
    } catch (error) {
      const wasClosing = this.closing || abort.signal.aborted;
      const message =
        error instanceof TimeoutError
          ? `The server did not answer initialize within ${Math.round(timeoutMs / 1000)} s.`
          : `Could not connect: ${this.redact(errorMessage(error))}`;
      // Let the last stderr lines of a process that just died arrive before reporting.
      await Promise.race([this.stderrEnded, new Promise((r) => setTimeout(r, 300))]);
      await this.teardown();
      if (wasClosing) {
        this.setState({ status: 'disconnected', stderrTail: this.stderr.tail(STDERR_TAIL_IN_STATUS) });
      } else {
        this.options.logger.error(`[${this.name}] ${message}`);
        this.setState({ status: 'error', error: message, stderrTail: this.stderr.tail(STDERR_TAIL_IN_STATUS) });
      }
      return this.currentState;
    } finally {
      if (this.abortConnect === abort) this.abortConnect = undefined;
    }
  }

  /** Streamable HTTP first; SSE when the endpoint refuses it with a 4xx, as the spec's backwards-compatibility section says. */
  private async connectWithFallback(sdk: ClientSdk, timeoutMs: number, signal: AbortSignal): Promise<TransportKind> {
    const definition = this.definition;
    if (definition.type === 'stdio') {
      await this.connectTransport(sdk, await this.createStdioTransport(sdk, definition), timeoutMs, signal);
      return 'stdio';
    }
    const url = new URL(definition.url);
    const requestInit: RequestInit = { headers: { ...definition.headers } };
    const fetch = createLimitedFetch(this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    const oauth = this.options.oauth;
    const authProvider = oauth ? new StoredOAuthProvider(this.name, definition.url, oauth) : undefined;
    this.authProvider = authProvider;
    this.sessionSignIns = 0;
    const transportOptions = { requestInit, fetch, ...(authProvider ? { authProvider } : {}) };
    if (definition.type === 'sse') {
      await this.connectHttp(sdk, () => new sdk.SSEClientTransport(url, transportOptions), authProvider, timeoutMs, signal);
      return 'sse';
    }
    try {
      await this.connectHttp(sdk, () => new sdk.StreamableHTTPClientTransport(url, transportOptions), authProvider, timeoutMs, signal);
      return 'streamableHttp';
    } catch (error) {
      const code = error instanceof sdk.StreamableHTTPError ? error.code : undefined;
      if (signal.aborted || code === undefined || code < 400 || code >= 500 || code === 401 || code === 403) throw error;
      this.options.logger.info(`[${this.name}] Streamable HTTP refused (HTTP ${code}); trying the SSE transport`);
      await this.teardown();
      await this.connectHttp(sdk, () => new sdk.SSEClientTransport(url, transportOptions), authProvider, timeoutMs, signal);
      return 'sse';
    }
  }

  /**
   * Connects an HTTP transport; when the SDK asked for a sign-in (it called `redirectToAuthorization`
   * and threw `UnauthorizedError`), runs it through the UI, hands the code to the transport and
   * connects again with the new tokens. Bounded by MAX_AUTHORIZATIONS_PER_CONNECT.
   */
  private async connectHttp(
    sdk: ClientSdk,
    createTransport: () => AuthorizingTransport,
    authProvider: StoredOAuthProvider | undefined,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const transport = createTransport();
      try {
        await this.connectTransport(sdk, transport, timeoutMs, signal);
        return;
      } catch (error) {
        const authorizationUrl = authProvider?.takePendingAuthorization();
        if (!authProvider || !authorizationUrl || signal.aborted) throw error;
        if (attempt >= MAX_AUTHORIZATIONS_PER_CONNECT) throw new Error(`The server still refuses access after ${MAX_AUTHORIZATIONS_PER_CONNECT} sign-ins.`, { cause: error });
        await this.teardown();
        await this.authorize(authProvider, transport, authorizationUrl, signal);
      }
    }
  }

  private async authorize(authProvider: StoredOAuthProvider, transport: AuthorizingTransport, authorizationUrl: URL, signal: AbortSignal, inSession = false): Promise<void> {
    const ui = this.options.oauth!.ui;
    if (!inSession) this.setState({ status: 'connecting', stderrTail: [], message: WAITING_FOR_SIGN_IN });
    this.options.logger.info(`[${this.name}] the server requires sign-in; waiting for sign-in in the browser (${authorizationUrl.origin})`);
    let result;
    try {
      result = await ui.authorize(authorizationUrl, signal, { serverName: this.name });
    } catch (error) {
      if (signal.aborted) throw new Error('Connection was closed while connecting.', { cause: error });
      throw new Error(`Sign-in did not complete: ${errorMessage(error)}`, { cause: error });
    }
    authProvider.checkState(result.state);
    if (!inSession) this.setState({ status: 'connecting', stderrTail: [] });
    try {
      await transport.finishAuth(result.code);
    } catch (error) {
      throw new Error(`Sign-in failed: ${errorMessage(error)}`, { cause: error });
    }
    this.signInGeneration++;
    this.options.logger.info(`[${this.name}] signed in`);
  }

  /**
   * After a request of a connected session failed: when the server asked for a (new or wider)
   * sign-in meanwhile, runs it once for all requests waiting, and says whether to retry. Bounded
   * per connection, so a server that never accepts cannot open the browser in a loop.
   */
  private async signInDuringSession(generationBefore: number): Promise<boolean> {
    if (this.sessionSignIn) return this.sessionSignIn;
    const provider = this.authProvider;
    const transport = this.transport as AuthorizingTransport | undefined;
    const url = provider?.takePendingAuthorization();
    if (!provider || !url || !transport || this.currentState.status !== 'connected') return false;
    // A sign-in finished after this request was sent: retry with its tokens rather than sign in again.
    if (this.signInGeneration !== generationBefore) return true;
    if (this.sessionSignIns >= MAX_AUTHORIZATIONS_PER_CONNECT) return false;
    this.sessionSignIns++;
    const signal = this.sessionAbort.signal;
    this.sessionSignIn = this.authorize(provider, transport, url, signal, true)
      .then(
        () => true,
        (error: unknown) => {
          this.options.logger.warn(`[${this.name}] ${this.redact(errorMessage(error))}`);
          return false;
        },
      )
      .finally(() => {
        this.sessionSignIn = undefined;
      });
    return this.sessionSignIn;
  }

  /**
   * Runs a request; when it failed for want of a sign-in (401, or 403 insufficient_scope) that then
   * succeeded, runs it once more. For requests made on `sdkClient` directly.
   */
  async withSignInRetry<T>(request: () => Promise<T>): Promise<T> {
    const generation = this.signInGeneration;
    try {
      return await request();
    } catch (error) {
      if (!this.authProvider || !(await this.signInDuringSession(generation))) throw error;
      return request();
    }
  }

  private async createStdioTransport(sdk: ClientSdk, definition: StdioServerDefinition): Promise<Transport> {
    const env: Record<string, string> = { ...sdk.getDefaultEnvironment() };
    if (definition.envFile) {
      const file = await readEnvFile(definition.envFile);
      for (const problem of file.errors) this.options.logger.warn(`[${this.name}] envFile ${definition.envFile}: ${problem}`);
      Object.assign(env, file.values);
    }
    for (const [key, value] of Object.entries(definition.env)) {
      // The SDK spreads its default environment under ours, so deleting is not enough to unset an
      // inherited variable; Node's spawn leaves out variables whose value is undefined.
      if (value === null) env[key] = undefined as unknown as string;
      else env[key] = value;
    }
    const transport = new sdk.StdioClientTransport({
      command: definition.command,
      args: [...definition.args],
      env,
      stderr: 'pipe',
      maxBufferSize: this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      ...(definition.cwd ? { cwd: definition.cwd } : {}),
    });
    const maxBufferSize = this.options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    installLinearReadBuffer(transport, maxBufferSize, (line) => sdk.types.JSONRPCMessageSchema.parse(JSON.parse(line)));
    // The PassThrough exists before start, so no early output is lost.
    const stream = transport.stderr;
    if (stream) {
      this.stderrEnded = new Promise((resolve) => {
        stream.once('end', resolve);
        stream.once('close', resolve);
      });
      stream.on('data', (chunk: Buffer | string) => {
        for (const line of this.stderr.write(String(chunk))) this.recordStderr(line);
      });
      stream.on('end', () => {
        const last = this.stderr.flush();
        if (last !== undefined) this.recordStderr(last);
      });
      stream.on('error', () => {});
    }
    // Keep the pid: the SDK forgets it as soon as it starts closing, and we need it to end the tree.
    const start = transport.start.bind(transport);
    transport.start = async () => {
      await start();
      this.pid = transport.pid ?? undefined;
    };
    return transport;
  }

  private recordStderr(line: string): void {
    const text = this.redact(line);
    this.log.push(`[stderr] ${text}`);
    this.options.logger.info(`[${this.name}] stderr: ${text}`);
  }

  private async connectTransport(sdk: ClientSdk, transport: Transport, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const client = await this.createClient(sdk);
    this.client = client;
    this.transport = transport;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError()), timeoutMs);
    });
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('closed'));
      signal.addEventListener('abort', () => reject(new Error('Connection was closed while connecting.')), { once: true });
    });
    const connecting = client.connect(transport, { timeout: timeoutMs, signal });
    // Whichever loses the race must not surface as an unhandled rejection.
    connecting.catch(() => {});
    timeout.catch(() => {});
    aborted.catch(() => {});
    try {
      await Promise.race([connecting, timeout, aborted]);
    } finally {
      clearTimeout(timer);
    }
    client.onclose = () => this.handleUnexpectedClose(client);
  }

  private async createClient(sdk: ClientSdk): Promise<Client> {
    const { types } = sdk;
    const capabilities: ClientCapabilities = { sampling: this.options.samplingTools ? { tools: {} } : {} };
    if (this.options.rootsSource) capabilities.roots = { listChanged: true };
    // Elicitation and task-augmented sampling, declared only when configured.
    const extensions = await createProtocolExtensions({
      serverName: this.name,
      logger: this.options.logger,
      ...(this.options.elicitationHandler ? { elicitation: { handler: this.options.elicitationHandler, ...(this.options.elicitationModes ? { modes: this.options.elicitationModes } : {}) } } : {}),
      ...(this.options.taskSampling ? { taskSampling: { handler: this.options.samplingHandler, options: this.options.taskSampling } } : {}),
    });
    Object.assign(capabilities, extensions.capabilities());
    const client = new sdk.Client(this.options.clientInfo ?? DEFAULT_CLIENT_INFO, { capabilities, ...extensions.clientOptions() });
    this.extensions.set(client, extensions);
    client.onerror = (error) => {
      this.options.logger.warn(`[${this.name}] protocol error: ${this.redact(errorMessage(error))}`);
      this.log.push(`[error] ${this.redact(errorMessage(error))}`);
      // An HTTP transport does not close when the server dies (it retries its streams): ask.
      if (this.definition.type !== 'stdio') this.checkAlive(client);
    };
    this.registerSamplingHandler(sdk, client);
    extensions.install(client, (params, extra, run) => this.withRequestContext(params, extra as unknown as RequestExtra, 'elicitation', run));
    // The SDK ignores `notifications/cancelled` for request id 0 (a falsy check), and servers number
    // their requests from 0, so the first sampling request could never be cancelled. Handle it here,
    // then let the SDK do its own bookkeeping.
    const sdkOnCancel = (client as unknown as { _oncancel?: (n: unknown) => unknown })._oncancel;
    client.setNotificationHandler(types.CancelledNotificationSchema, (notification) => {
      const { requestId, reason } = notification.params;
      const controller = requestId === undefined ? undefined : this.samplingControllers.get(requestId);
      if (controller && !controller.signal.aborted) controller.abort(this.abortReason(reason));
      if (typeof sdkOnCancel === 'function') void Promise.resolve(sdkOnCancel.call(client, notification)).catch(() => {});
    });
    const roots = this.options.rootsSource;
    if (roots) {
      client.setRequestHandler(types.ListRootsRequestSchema, async () => ({ roots: [...(await roots.listRoots())] }));
    }
    client.setNotificationHandler(types.LoggingMessageNotificationSchema, (notification) => {
      const { level, logger, data } = notification.params;
      let text = typeof data === 'string' ? data : JSON.stringify(data) ?? String(data);
      if (text.length > MAX_LOG_TEXT) text = `${text.slice(0, MAX_LOG_TEXT)}…`;
      text = this.redact(text);
      this.log.push(`[${level}]${logger ? ` ${logger}:` : ''} ${text}`);
      levelToLogger(this.options.logger, level)(`[${this.name}]${logger ? ` ${logger}:` : ''} ${text}`);
      this.logEmitter.fire({ serverName: this.name, level, ...(logger ? { logger } : {}), text });
    });
    const refresh = (what: 'tools' | 'prompts' | 'resources') => () => {
      if (client !== this.client) return;
      this.coalescedRefresh(what);
    };
    client.setNotificationHandler(types.ToolListChangedNotificationSchema, refresh('tools'));
    client.setNotificationHandler(types.PromptListChangedNotificationSchema, refresh('prompts'));
    client.setNotificationHandler(types.ResourceListChangedNotificationSchema, refresh('resources'));
    return client;
  }

  /**
   * Registers `sampling/createMessage` below the SDK Client's own wrapper: the Client parses params
   * with its strict schema first and answers -32603 with a raw Zod dump, so the pipeline's validation
   * (which names the setting or field at fault, with -32602) would never run. The params reach the
   * handler as sent; its result is still checked against the SDK's result schema.
   */
  private registerSamplingHandler(sdk: ClientSdk, client: Client): void {
    const { types } = sdk;
    type Extra = Parameters<Parameters<Client['setRequestHandler']>[1]>[1];
    const handle = async (request: { params?: unknown }, extra: Extra) => {
      const params = request.params;
      // A task-augmented request is answered with a task at once; the pipeline runs in the background.
      const task = await this.extensions.get(client)?.maybeStartTask(params, extra, this.currentToolCall());
      if (task) return types.CreateTaskResultSchema.parse(task);
      const result = await this.handleSamplingRequest(params, extra);
      const record = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
      const schema = record['tools'] || record['toolChoice'] ? types.CreateMessageResultWithToolsSchema : types.CreateMessageResultSchema;
      const checked = schema.safeParse(result);
      if (!checked.success) throw new types.McpError(types.ErrorCode.InternalError, `Invalid sampling result: ${checked.error.message}`);
      return checked.data;
    };
    const protocolSetRequestHandler = (Object.getPrototypeOf(sdk.Client.prototype) as { setRequestHandler?: unknown }).setRequestHandler;
    if (typeof protocolSetRequestHandler === 'function') {
      const lenient = types.CreateMessageRequestSchema.pick({ method: true }).loose();
      protocolSetRequestHandler.call(client, lenient, handle);
    } else {
      client.setRequestHandler(types.CreateMessageRequestSchema, handle);
    }
  }

  private handleSamplingRequest(params: unknown, extra: RequestExtra): Promise<CreateMessageResult | CreateMessageResultWithTools> {
    return this.withRequestContext(params, extra, 'sampling', (context) => this.options.samplingHandler(params, context));
  }

  /**
   * The context for a server-to-client request: progress, the running tool call, and a signal that
   * aborts with a reason when the server cancels or the connection ends (the SDK's says neither).
   */
  private withRequestContext<T>(params: unknown, extra: RequestExtra, kind: string, run: (context: SamplingRequestContext) => Promise<T>): Promise<T> {
    const meta = typeof params === 'object' && params !== null ? (params as { _meta?: unknown })._meta : undefined;
    const token = typeof meta === 'object' && meta !== null ? (meta as { progressToken?: unknown }).progressToken : undefined;
    const progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
    let progress = 0;
    const sendProgress =
      progressToken === undefined
        ? undefined
        : (message?: string) => {
            progress += 1;
            extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, ...(message ? { message } : {}) } }).catch(() => {});
          };
    const toolCall = this.currentToolCall();
    this.options.logger.debug(`[${this.name}] ${kind} request ${String(extra.requestId)}${toolCall ? ` during tool ${toolCall.name}` : ''}`);
    const controller = new AbortController();
    const forward = () => queueMicrotask(() => controller.abort(this.abortReason(extra.signal.reason)));
    if (extra.signal.aborted) forward();
    else extra.signal.addEventListener('abort', forward, { once: true });
    this.samplingControllers.set(extra.requestId, controller);
    return run({
      serverName: this.name,
      requestId: extra.requestId,
      signal: controller.signal,
      ...(progressToken !== undefined ? { progressToken } : {}),
      ...(sendProgress ? { sendProgress } : {}),
      ...(toolCall ? { toolCall } : {}),
    }).finally(() => {
      extra.signal.removeEventListener('abort', forward);
      if (this.samplingControllers.get(extra.requestId) === controller) this.samplingControllers.delete(extra.requestId);
    });
  }

  private abortReason(sdkReason: unknown): Error {
    if (this.closeReason) return new Error(this.closeReason);
    if (typeof sdkReason === 'string' && sdkReason) return new Error(`The server cancelled the request: ${sdkReason}`);
    return new Error('The server cancelled the request.');
  }

  /** Attributes a sampling request to the running tool call, when all running calls are the same tool. */
  private currentToolCall(): { name: string } | undefined {
    const names = new Set(this.runningToolCalls.values());
    if (names.size !== 1) return undefined;
    return { name: [...names][0]! };
  }

  /** After a transport error on HTTP: a failed ping means the server is gone. */
  private checkAlive(client: Client): void {
    if (this.checkingAlive || client !== this.client || this.closing || this.currentState.status !== 'connected') return;
    this.checkingAlive = true;
    // A server that wants a sign-in is alive: sign in (once) and ask again.
    this.withSignInRetry(() => client.ping({ timeout: LIVENESS_TIMEOUT_MS }))
      .then(
        () => undefined,
        (error: unknown) => {
          if (client !== this.client || this.closing) return;
          this.options.logger.warn(`[${this.name}] the server does not answer a ping (${this.redact(errorMessage(error))})`);
          this.handleUnexpectedClose(client, true);
        },
      )
      .finally(() => {
        this.checkingAlive = false;
      });
  }

  private handleUnexpectedClose(client: Client, stoppedAnswering = false): void {
    if (client !== this.client || this.closing) return;
    const tail = this.stderr.tail(STDERR_TAIL_IN_STATUS);
    const message = stoppedAnswering ? 'The server stopped answering.' : 'The server closed the connection.';
    this.closeReason = `Server "${this.name}" ${stoppedAnswering ? 'stopped answering' : 'closed the connection'}.`;
    // The process has exited: never signal its pid again (it may be reused).
    this.pid = undefined;
    this.options.logger.warn(`[${this.name}] ${message}`);
    void (async () => {
      await Promise.race([this.stderrEnded, new Promise((r) => setTimeout(r, 300))]);
      if (client !== this.client || this.closing) return;
      await this.teardown();
      this.setState({ status: 'error', error: message, stderrTail: this.stderr.tail(STDERR_TAIL_IN_STATUS).length ? this.stderr.tail(STDERR_TAIL_IN_STATUS) : tail, unexpected: true });
    })();
  }

  /**
   * One reload at a time per list: a burst of list_changed notifications while a reload runs
   * causes exactly one more, so a chatty server cannot make us list in a loop.
   */
  private coalescedRefresh(what: 'tools' | 'prompts' | 'resources'): void {
    if (this.listRefreshes.has(what)) {
      this.staleLists.add(what);
      return;
    }
    const run = this.refreshList(what)
      .then(() => this.listsEmitter.fire())
      .finally(() => {
        this.listRefreshes.delete(what);
        if (this.staleLists.delete(what)) this.coalescedRefresh(what);
      });
    this.listRefreshes.set(what, run);
  }

  /** Reloads tools, prompts and resources the server offers. Failures are logged, not thrown. */
  async refreshLists(): Promise<void> {
    await Promise.all([this.refreshList('tools'), this.refreshList('prompts'), this.refreshList('resources')]);
    this.listsEmitter.fire();
  }

  private async refreshList(what: 'tools' | 'prompts' | 'resources'): Promise<void> {
    const client = this.client;
    const capabilities = client?.getServerCapabilities();
    if (!client || !capabilities?.[what]) {
      this.setList(what, []);
      return;
    }
    try {
      const items: unknown[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES && items.length < MAX_LIST_ITEMS; page++) {
        const params = cursor ? { cursor } : {};
        const result = await this.withSignInRetry<{ nextCursor?: string | undefined }>(() =>
          what === 'tools' ? client.listTools(params) : what === 'prompts' ? client.listPrompts(params) : client.listResources(params),
        );
        const pageItems = what === 'tools' ? (result as { tools: Tool[] }).tools : what === 'prompts' ? (result as { prompts: Prompt[] }).prompts : (result as { resources: Resource[] }).resources;
        items.push(...pageItems);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      if (client === this.client) this.setList(what, items.slice(0, MAX_LIST_ITEMS));
    } catch (error) {
      this.options.logger.warn(`[${this.name}] could not list ${what}: ${this.redact(errorMessage(error))}`);
    }
  }

  private setList(what: 'tools' | 'prompts' | 'resources', items: unknown[]): void {
    if (what === 'tools') this.toolList = items as Tool[];
    else if (what === 'prompts') this.promptList = items as Prompt[];
    else this.resourceList = items as Resource[];
  }

  /** Calls a tool. Rejects when not connected, on timeout, on cancellation or when the connection drops. */
  async callTool(toolName: string, args: Record<string, unknown> | undefined, options: CallToolOptions = {}): Promise<CallToolResult> {
    const client = this.sdkClient;
    if (!client) throw new Error(`Server "${this.name}" is not connected (${this.currentState.status}).`);
    const sdk = await (this.options.loadSdk ?? loadClientSdk)();
    const id = this.nextToolCallId++;
    this.runningToolCalls.set(id, toolName);
    try {
      const legOptions = {
        timeout: options.timeoutMs ?? 600_000,
        resetTimeoutOnProgress: true,
        ...(options.maxTotalTimeoutMs ? { maxTotalTimeout: options.maxTotalTimeoutMs } : {}),
        onprogress: (p: { progress: number; total?: number; message?: string }) =>
          this.progressEmitter.fire({
            serverName: this.name,
            toolName,
            progress: p.progress,
            ...(p.total !== undefined ? { total: p.total } : {}),
            ...(p.message !== undefined ? { message: p.message } : {}),
          }),
      };
      // A 2026-07-28 style server may answer `input_required` (embedded sampling, elicitation or
      // roots requests) and expect the call again with the answers: run those rounds here.
      const final = await this.withSignInRetry(() =>
        runWithInputRounds(
          'tools/call',
          { name: toolName, ...(args ? { arguments: args } : {}) },
          sdkRoundCall(client, 'tools/call', legOptions),
          this.inputRequestHandlers(),
          { ...(options.signal ? { signal: options.signal } : {}), logger: this.options.logger, label: this.name },
        ),
      );
      const parsed = sdk.types.CallToolResultSchema.safeParse(final);
      if (!parsed.success) throw new Error(`Server "${this.name}" answered tools/call with an invalid result: ${parsed.error.message}`);
      return parsed.data as CallToolResult;
    } finally {
      this.runningToolCalls.delete(id);
    }
  }

  /** The answers this connection can give to `input_required` rounds, from the injected handlers. */
  private inputRequestHandlers(): InputRequestHandlers {
    const context = (ctx: InputRequestContext): SamplingRequestContext => ({
      serverName: this.name,
      requestId: `${ctx.key}#${ctx.round}`,
      signal: ctx.signal,
      ...(ctx.toolName ? { toolCall: { name: ctx.toolName } } : {}),
    });
    const sampling = this.options.inputRequiredSamplingHandler ?? this.options.samplingHandler;
    const elicit = this.options.elicitationHandler;
    const roots = this.options.rootsSource;
    return {
      'sampling/createMessage': (params, ctx) => sampling(params, context(ctx)),
      ...(elicit ? { 'elicitation/create': (params: unknown, ctx: InputRequestContext) => elicit(params, context(ctx)) } : {}),
      ...(roots ? { 'roots/list': async () => ({ roots: [...(await roots.listRoots())] }) } : {}),
    };
  }

  /** Tells the server the roots changed (`notifications/roots/list_changed`). */
  async sendRootsListChanged(): Promise<void> {
    const client = this.sdkClient;
    if (!client || !this.options.rootsSource) return;
    try {
      await client.sendRootsListChanged();
    } catch (error) {
      this.options.logger.warn(`[${this.name}] could not send roots/list_changed: ${errorMessage(error)}`);
    }
  }

  /** Closes the connection and ends the server's whole process tree. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    this.closeReason ??= `The connection to "${this.name}" was closed.`;
    this.abortConnect?.abort();
    if (this.connecting) await this.connecting;
    const hadConnection = this.client !== undefined;
    await this.teardown();
    if (hadConnection || this.currentState.status === 'connected' || this.currentState.status === 'connecting') {
      this.setState({ status: 'disconnected', stderrTail: this.stderr.tail(STDERR_TAIL_IN_STATUS) });
      this.options.logger.info(`[${this.name}] disconnected`);
    }
  }

  /** Closes the client and transport; for stdio, ends the process and all its descendants. */
  private async teardown(): Promise<void> {
    this.sessionAbort.abort();
    this.sessionAbort = new AbortController();
    const client = this.client;
    const transport = this.transport;
    const pid = this.pid;
    this.client = undefined;
    this.transport = undefined;
    this.pid = undefined;
    this.toolList = [];
    this.promptList = [];
    this.resourceList = [];
    if (client) {
      client.onclose = undefined;
      this.extensions.get(client)?.dispose(this.closeReason ?? `The connection to "${this.name}" was closed.`);
      this.extensions.delete(client);
    }
    if (pid !== undefined && process.platform === 'win32') {
      // Windows cannot list a tree once its root is gone, and a console server ignores polite
      // requests: end the whole tree (taskkill /T /F) before closing.
      await killProcessTree(pid);
    }
    // Snapshot the tree first: once the child dies its children are re-parented and lost to us.
    const descendants = pid !== undefined ? await listDescendants(pid) : [];
    const grace = this.options.killGraceMs ?? 2000;
    const closing = (async () => {
      try {
        if (client) await client.close();
        else await transport?.close();
      } catch {}
    })();
    if (pid !== undefined) {
      // Give the server `grace` to exit on stdin EOF, then signal the whole tree.
      await Promise.race([closing, new Promise((r) => setTimeout(r, grace))]);
      await terminateProcesses([pid, ...descendants], grace);
    }
    await closing;
  }

  private redact(text: string): string {
    return this.options.secrets?.size ? redactSecrets(text, this.options.secrets) : text;
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.log.push(`[status] ${state.status}${state.error ? `: ${state.error}` : ''}`);
    this.statusEmitter.fire(state);
  }

  dispose(): Promise<void> {
    return this.close().finally(() => {
      this.statusEmitter.dispose();
      this.listsEmitter.dispose();
      this.progressEmitter.dispose();
      this.logEmitter.dispose();
    });
  }
}
