/**
 * The types the connection's parts share: its state and events, the handlers injected into it, and
 * its options. A file of its own so the parts import it rather than each other.
 */
import type { CreateMessageResult, CreateMessageResultWithTools, Implementation, LoggingLevel, Root } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDefinition } from '../config/serverDefinition';
import type { Logger } from '../logger';
import type { ElicitResult } from '../rounds/elicitation';
import type { TaskSamplingOptions } from '../rounds/taskSampling';
import type { OAuthConnectionOptions } from './oauth';
import type { ProtocolPin } from '../config/serverDefinition';
import type { ClientSdk } from './sdk';
import type { MessageLimit } from './messageLimit';

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
  /** The MCP revision spoken with the server while connected, e.g. `2026-07-28` or `2025-11-25`. */
  readonly protocolVersion?: string;
  /** True when a connected server went away without us closing it: the manager reconnects. */
  readonly unexpected?: boolean;
  /** What a `connecting` connection waits for, e.g. sign-in in the browser. */
  readonly message?: string;
  /** It failed at sign-in (cancelled, refused): a reconnect of its own would only ask again. */
  readonly signIn?: 'failed';
}

export interface SamplingRequestContext {
  readonly serverName: string;
  /** The JSON-RPC id the server gave its `sampling/createMessage` request (or `<key>#<round>` inside rounds). */
  readonly requestId: string | number;
  /** Aborted when the server cancels the request or the connection closes. */
  readonly signal: AbortSignal;
  readonly progressToken?: string | number;
  /** Present when the request carries a progress token: each call sends `notifications/progress` to the server. */
  readonly sendProgress?: (message?: string) => void;
  /** The tool call this request provably belongs to (an `input_required` round of that call). */
  readonly toolCall?: ToolCallAttribution;
  /** Not proven: the one tool call running on this connection when the request arrived. */
  readonly runningToolCall?: ToolCallAttribution;
  /** The caller of the prompts/get or resources/read it belongs to, or the one caller of all running calls. */
  readonly caller?: string;
  /** The MCP revision of the connection the request came over. */
  readonly protocolVersion?: string;
}

/** Answers a server's `sampling/createMessage`. `params` is the request's params as the server sent them. */
export type SamplingHandler = (params: unknown, context: SamplingRequestContext) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

/** Answers a server's `elicitation/create`. */
export type ElicitationHandler = (params: unknown, context: SamplingRequestContext) => Promise<ElicitResult>;

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

/** Which tool call a server-to-client request belongs to, and who made that call (e.g. a gateway caller). */
export interface ToolCallAttribution {
  readonly name: string;
  readonly caller?: string;
}

/** What is known about a server request's cause: the tool call proven by its transport, else a guess from what ran. */
export interface RequestAttribution extends RunningAttribution {
  readonly toolCall?: ToolCallAttribution;
}

/** What the calls running when a request arrived say about it: a guess, never a proof. */
export interface RunningAttribution {
  /** The one tool call running (all running calls are that tool, no prompt or resource call). */
  readonly runningToolCall?: ToolCallAttribution;
  /** The one caller all running calls share, when no running tool call carries it. */
  readonly caller?: string;
}

export interface CallToolOptions {
  readonly signal?: AbortSignal;
  /** Cancels the call after this long without progress (the SDK resets it on each progress). */
  readonly timeoutMs?: number;
  /** `input_required` rounds before giving up (default 10). */
  readonly maxRounds?: number;
  /** Who asks for this call, shown on the cards of the sampling requests it causes (e.g. '"Claude Code" via the gateway'). */
  readonly caller?: string;
  /** The server's progress notifications for this call. */
  readonly onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
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
   * Answers `sampling/createMessage` embedded in `input_required` results (route
   * `input-required`); without it, `samplingHandler` answers those too.
   */
  readonly inputRequiredSamplingHandler?: SamplingHandler;
  /**
   * Task-augmented sampling (2025-11-25 `tasks.requests.sampling.createMessage`): a request with
   * `params.task` is answered at once with a task while the pipeline runs in the background.
   * Declared only when given (and only on 2025-era connections).
   */
  readonly taskSampling?: TaskSamplingOptions | false;
  /** Declare `sampling.tools` (tool use inside sampling). */
  readonly samplingTools?: boolean;
  readonly clientInfo?: Implementation;
  /**
   * Which MCP revision to speak: `auto` (default) discovers (`server/discover`) and uses 2026-07-28
   * where the server offers it, else `initialize` (2025-11-25); a pinned revision skips the other.
   * A pin on the definition (`protocol`) wins over this one.
   */
  readonly protocol?: ProtocolPin;
  /** How long `initialize` (or discovery) may take before the connection ends in `error`. Default 30 s. */
  readonly initializeTimeoutMs?: number;
  /** How long a stdio server gets to answer `server/discover` before it is taken for a 2025-era server. Default 5 s. */
  readonly discoverTimeoutMs?: number;
  /** How long a stdio server gets to exit after stdin closes, and then after SIGTERM. Default 2 s. */
  readonly killGraceMs?: number;
  readonly stderrLines?: number;
  /**
   * The largest single message read from a server (a stdio line, an HTTP body, an SSE event). Larger ones close
   * the connection, so keep it above mcpSampling.limits.maxRequestBytes for the pipeline to refuse
   * oversized requests politely. Default 64 MiB. A function is read on each message.
   */
  readonly maxMessageBytes?: MessageLimit;
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

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
