/**
 * One caller of the gateway: an SDK `Server` on its own Streamable HTTP session, answering
 * tools/prompts/resources from the catalog and routing each call through the ConnectionManager, so
 * the servers' sampling, elicitation and roots requests reach the pipeline and the panel. Progress
 * passes from the server to the caller, cancellation from the caller to the server.
 */
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { CallLimiter, CallLimitError, type CallLimits } from './callLimiter';
import { gatewayPrompt, gatewayTool, type GatewayBackend, type GatewayCatalog } from './catalog';
import type { SdkServer, SdkServerTransport, ServerSdk } from './sdk';

export interface GatewaySessionOptions {
  readonly sdk: ServerSdk;
  /** Opened with VS Code's own token. */
  readonly fromVsCode: boolean;
  readonly backend: GatewayBackend;
  readonly catalog: GatewayCatalog;
  readonly logger: Logger;
  readonly limits: CallLimits;
  /** The session's one redaction (`${input:}` values, API keys, tokens): every error text to a caller goes through it. */
  readonly redact?: (text: string) => string;
  readonly serverInfo: { readonly name: string; readonly version: string };
  /** How the card names this caller, from its clientInfo and whether it is VS Code's own client. */
  readonly callerLabel: (clientName: string | undefined) => string;
  readonly onDidChange: () => void;
  readonly onInitialized: (session: GatewaySession) => void;
  readonly onClosed: (session: GatewaySession) => void;
}

const INSTRUCTIONS =
  'Tools of the MCP servers connected in the MCP Sampling Client extension (VS Code). When a server asks for an LLM completion during a call, a person reviews and answers it in VS Code, so calls may take a while.';

function toolError(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class GatewaySession {
  readonly server: SdkServer;
  readonly transport: SdkServerTransport;
  readonly limiter: CallLimiter;
  readonly connectedAt = Date.now();
  readonly fromVsCode: boolean;
  sessionId: string | undefined;
  lastActivity = Date.now();
  private closed = false;

  constructor(private readonly options: GatewaySessionOptions) {
    const { sdk } = options;
    this.limiter = new CallLimiter(options.limits);
    this.fromVsCode = options.fromVsCode;
    this.server = new sdk.Server(options.serverInfo, {
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
      instructions: INSTRUCTIONS,
    });
    this.transport = new sdk.WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessionId = id;
        options.onInitialized(this);
      },
      onsessionclosed: () => void this.close(),
    });
    this.server.oninitialized = () => {
      options.logger.info(`Gateway: ${this.callerName} connected`);
      options.onDidChange();
    };
    this.registerHandlers();
  }

  /** Who this is, from the client's own `initialize` (untrusted, so only ever shown as text). */
  get clientName(): string | undefined {
    const name = this.server.getClientVersion()?.name;
    return typeof name === 'string' ? name.replace(/[\p{C}]/gu, '').slice(0, 80) : undefined;
  }

  get callerName(): string {
    return this.options.callerLabel(this.clientName);
  }

  async connect(): Promise<void> {
    await this.server.connect(this.transport);
  }

  private registerHandlers(): void {
    const { sdk, catalog, backend } = this.options;
    const t = sdk.types;
    this.server.setRequestHandler(t.ListToolsRequestSchema, () => ({
      tools: [...catalog.snapshot().tools].map(([name, entry]) => gatewayTool(name, entry)),
    }));
    this.server.setRequestHandler(t.CallToolRequestSchema, (request, extra) => this.callTool(request.params, extra));
    this.server.setRequestHandler(t.ListPromptsRequestSchema, () => ({
      prompts: [...catalog.snapshot().prompts].map(([name, entry]) => gatewayPrompt(name, entry)),
    }));
    this.server.setRequestHandler(t.GetPromptRequestSchema, async (request, extra) => {
      const entry = catalog.snapshot().prompts.get(request.params.name);
      if (!entry) throw new t.McpError(t.ErrorCode.InvalidParams, `Unknown prompt "${request.params.name}".`);
      const connection = backend.getConnection(entry.server);
      if (!connection || connection.state.status !== 'connected') throw new t.McpError(t.ErrorCode.InternalError, `Server "${entry.server}" is not connected.`);
      return this.bounded(extra.signal, () => connection.getPrompt(entry.name, request.params.arguments, { signal: extra.signal, caller: this.callerName }));
    });
    this.server.setRequestHandler(t.ListResourcesRequestSchema, () => ({ resources: [...catalog.snapshot().resources.values()].map((e) => e.item) }));
    this.server.setRequestHandler(t.ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));
    this.server.setRequestHandler(t.ReadResourceRequestSchema, async (request, extra) => {
      const entry = catalog.snapshot().resources.get(request.params.uri);
      if (!entry) throw new t.McpError(t.ErrorCode.InvalidParams, `Unknown resource "${request.params.uri}".`);
      const connection = backend.getConnection(entry.server);
      if (!connection || connection.state.status !== 'connected') throw new t.McpError(t.ErrorCode.InternalError, `Server "${entry.server}" is not connected.`);
      return this.bounded(extra.signal, () => connection.readResource(entry.item.uri, { signal: extra.signal, caller: this.callerName }));
    });
  }

  /** Text for the caller: the one redaction every error to a caller goes through. */
  private toCaller(text: string): string {
    return this.options.redact ? this.options.redact(text) : text;
  }

  /** A prompt or resource request: within the session's call bound, like a tool call, and counted as activity. */
  private async bounded<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    const t = this.options.sdk.types;
    this.lastActivity = Date.now();
    try {
      return await this.limiter.run(signal, run);
    } catch (error) {
      if (signal.aborted) throw error; // The caller cancelled: it expects no answer.
      const code = error instanceof t.McpError && !(error instanceof CallLimitError) ? error.code : t.ErrorCode.InternalError;
      // The SDK would send the message as it is: redacted first, like a tool call's error.
      throw new t.McpError(code, this.toCaller(errorMessage(error).replace(/^MCP error -?\d+: /, '')));
    } finally {
      this.lastActivity = Date.now();
    }
  }

  private async callTool(
    params: { name: string; arguments?: Record<string, unknown> | undefined; _meta?: { progressToken?: string | number | undefined } | undefined },
    extra: { signal: AbortSignal; sendNotification: (n: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; total?: number; message?: string } }) => Promise<void> },
  ): Promise<CallToolResult> {
    const { sdk, catalog, backend } = this.options;
    this.lastActivity = Date.now();
    const target = catalog.resolveTool(params.name);
    if (!target) throw new sdk.types.McpError(sdk.types.ErrorCode.InvalidParams, `Unknown tool "${params.name}". List the tools again: the servers may have changed.`);
    const status = backend.status(target.server);
    if (status?.status !== 'connected') {
      return toolError(this.toCaller(`Server "${target.server}" is not connected${status ? ` (${status.status}${status.error ? `: ${status.error}` : ''})` : ''}. Connect it in VS Code's MCP Sampling view and call again.`));
    }
    const progressToken = params._meta?.progressToken;
    // Progress is sent in order, and all of it before the result (a client drops progress after the result).
    let progressSent: Promise<void> = Promise.resolve();
    const onProgress =
      progressToken === undefined
        ? undefined
        : (p: { progress: number; total?: number; message?: string }) => {
            const params = { progressToken, progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) };
            progressSent = progressSent.then(() => extra.sendNotification({ method: 'notifications/progress', params })).catch(() => undefined);
          };
    try {
      return await this.limiter.run(extra.signal, async () => {
        this.options.onDidChange();
        const result = await backend.callTool(target.server, target.name, params.arguments, { signal: extra.signal, caller: this.callerName, ...(onProgress ? { onProgress } : {}) });
        await progressSent;
        return result;
      });
    } catch (error) {
      if (extra.signal.aborted) throw error; // The caller cancelled: it expects no answer.
      if (error instanceof CallLimitError) return toolError(this.toCaller(error.message));
      this.options.logger.warn(`Gateway: ${target.server}/${target.name} for ${this.callerName} failed: ${errorMessage(error)}`);
      return toolError(this.toCaller(`Calling "${target.name}" on server "${target.server}" failed: ${errorMessage(error)}`));
    } finally {
      this.lastActivity = Date.now();
      this.options.onDidChange();
    }
  }

  /** Tells the caller which lists changed (only once initialized; errors mean it has gone). */
  async notifyListsChanged(which: { tools: boolean; prompts: boolean; resources: boolean }): Promise<void> {
    if (this.closed || this.server.getClientVersion() === undefined) return;
    const sends: Promise<void>[] = [];
    if (which.tools) sends.push(this.server.sendToolListChanged());
    if (which.prompts) sends.push(this.server.sendPromptListChanged());
    if (which.resources) sends.push(this.server.sendResourceListChanged());
    await Promise.allSettled(sends);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.onClosed(this);
    await this.server.close().catch(() => undefined);
  }
}
