/**
 * The calls a person (or an agent) makes on a connection: `tools/call`, `prompts/get`,
 * `resources/read`, each through the round driver so `input_required` answers work on either
 * revision, and the bookkeeping of the calls running when a server's request arrives (which is all
 * a 2025-11-25 request says about its cause: "while X was running", never "during X"); and the one
 * notification we send, `roots/list_changed`.
 */
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { MultiRoundTripMethod } from '../rounds/inputRequired';
import { inputRequestHandlers, requestWithRounds } from './inputRounds';
import { isModernRevision } from './revisions';
import type { ClientSdk, SdkClient } from './sdk';
import { errorMessage, type CallToolOptions, type ServerConnectionOptions, type RequestAttribution, type RunningAttribution, type ToolProgressEvent } from './types';
import { StreamAttribution } from './streamAttribution';

export interface ServerCallsHost {
  readonly name: string;
  readonly options: ServerConnectionOptions;
  loadSdk(): Promise<ClientSdk>;
  /** The live client, or an error saying why there is none. */
  client(): SdkClient | Error;
  protocolVersion(): string | undefined;
  withSignInRetry<T>(request: () => Promise<T>): Promise<T>;
  progress(event: ToolProgressEvent): void;
}

export class ServerCalls {
  /** Calls in flight: tools, prompts and resources, with who asked for them. */
  private readonly running = new Map<number, { readonly method: MultiRoundTripMethod; readonly name: string; readonly caller?: string }>();
  private nextId = 1;
  /** Which tool call's Streamable HTTP response stream carried a server request (the transport's proof). */
  readonly streams = new StreamAttribution();

  constructor(private readonly host: ServerCallsHost) {}

  /** What is known about server request `requestId`: proven by its stream, else what is running (`peek` keeps the proof for a later look). */
  attribute(requestId: string | number, peek = false): RequestAttribution {
    const proven = this.streams.take(requestId, !peek);
    if (proven === undefined) return this.whileRunning();
    const callers = new Set([...this.running.values()].filter((c) => c.method === 'tools/call' && c.name === proven).map((c) => c.caller));
    const caller = callers.size === 1 ? [...callers][0] : undefined;
    return { toolCall: { name: proven, ...(caller !== undefined ? { caller } : {}) } };
  }

  /**
   * What the running calls say about a request arriving now: the tool, when every running call is
   * that one tool; the caller, when they all share one. Neither proves the request belongs to them.
   */
  whileRunning(): RunningAttribution {
    const calls = [...this.running.values()];
    if (calls.length === 0) return {};
    const callers = new Set(calls.map((c) => c.caller));
    const caller = callers.size === 1 ? [...callers][0] : undefined;
    const tools = new Set(calls.map((c) => (c.method === 'tools/call' ? c.name : undefined)));
    const tool = tools.size === 1 ? [...tools][0] : undefined;
    if (tool !== undefined) return { runningToolCall: { name: tool, ...(caller !== undefined ? { caller } : {}) } };
    return caller !== undefined ? { caller } : {};
  }

  private track<T>(method: MultiRoundTripMethod, name: string, options: CallToolOptions, run: () => Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.running.set(id, { method, name, ...(options.caller !== undefined ? { caller: options.caller } : {}) });
    return run().finally(() => this.running.delete(id));
  }

  /** Tells the server the roots changed (`notifications/roots/list_changed`; 2026-07-28 has no such notification). */
  async sendRootsListChanged(): Promise<void> {
    const client = this.host.client();
    if (client instanceof Error || !this.host.options.rootsSource || isModernRevision(this.host.protocolVersion())) return;
    try {
      await client.sendRootsListChanged();
    } catch (error) {
      this.host.options.logger.warn(`[${this.host.name}] could not send roots/list_changed: ${errorMessage(error)}`);
    }
  }

  async callTool(toolName: string, args: Record<string, unknown> | undefined, options: CallToolOptions = {}): Promise<CallToolResult> {
    const sdk = await this.host.loadSdk();
    const final = await this.track('tools/call', toolName, options, () => this.withRounds('tools/call', { name: toolName, ...(args ? { arguments: args } : {}) }, options, toolName));
    const parsed = sdk.types.CallToolResultSchema.safeParse(final);
    if (!parsed.success) throw new Error(`Server "${this.host.name}" answered tools/call with an invalid result: ${parsed.error.message}`);
    return parsed.data as CallToolResult;
  }

  async getPrompt(name: string, args: Record<string, string> | undefined, options: CallToolOptions = {}): Promise<GetPromptResult> {
    const sdk = await this.host.loadSdk();
    const final = await this.track('prompts/get', name, options, () => this.withRounds('prompts/get', { name, ...(args ? { arguments: args } : {}) }, options));
    const parsed = sdk.types.GetPromptResultSchema.safeParse(final);
    if (!parsed.success) throw new Error(`Server "${this.host.name}" answered prompts/get with an invalid result: ${parsed.error.message}`);
    return parsed.data as GetPromptResult;
  }

  async readResource(uri: string, options: CallToolOptions = {}): Promise<ReadResourceResult> {
    const sdk = await this.host.loadSdk();
    const final = await this.track('resources/read', uri, options, () => this.withRounds('resources/read', { uri }, options));
    const parsed = sdk.types.ReadResourceResultSchema.safeParse(final);
    if (!parsed.success) throw new Error(`Server "${this.host.name}" answered resources/read with an invalid result: ${parsed.error.message}`);
    return parsed.data as ReadResourceResult;
  }

  private withRounds(method: MultiRoundTripMethod, params: Record<string, unknown>, options: CallToolOptions, toolName?: string): Promise<unknown> {
    const client = this.host.client();
    if (client instanceof Error) return Promise.reject(client);
    const name = this.host.name;
    const legOptions = {
      timeout: options.timeoutMs ?? 600_000,
      resetTimeoutOnProgress: true,
      onprogress: (p: { progress: number; total?: number; message?: string }) => {
        options.onProgress?.(p);
        if (!toolName) return;
        this.host.progress({
          serverName: name,
          toolName,
          progress: p.progress,
          ...(p.total !== undefined ? { total: p.total } : {}),
          ...(p.message !== undefined ? { message: p.message } : {}),
        });
      },
    };
    // A server may answer `input_required` (embedded sampling, elicitation or roots requests) and
    // expect the call again with the answers: the rounds run here, on either revision.
    return requestWithRounds({
      client,
      method,
      params,
      legOptions,
      handlers: inputRequestHandlers(name, this.host.options, this.host.protocolVersion(), options.caller),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}),
      logger: this.host.options.logger,
      label: name,
      // Per leg: a sign-in asked for in a later round resends that round, not the first.
      eachLeg: (leg) => this.host.withSignInRetry(leg),
    });
  }
}
