/**
 * The contract between the sampling pipeline (core), the providers, and the approval UI.
 * Nothing here imports vscode: src/vscode adapts the panel, vscode.lm and settings to these.
 */
import type {
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  SamplingMessage,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';

/** A validated, normalized `sampling/createMessage` params object. */
export type SamplingParams = CreateMessageRequest['params'];
export type SamplingResult = CreateMessageResult;
/** The 2025-11-25 result shape when the request offered tools: content may be an array and carry tool_use blocks. */
export type SamplingResultWithTools = CreateMessageResultWithTools;
/** What an answer may contain: one text/image/audio block, or (with tools) blocks including tool_use. */
export type ResponseContent = SamplingResult['content'] | SamplingResultWithTools['content'];
export type { SamplingMessage, Tool };

/** How a request reached us: server-initiated (2025-11-25) or an input_required round (2026-07-28). */
export type SamplingRoute = 'server-request' | 'input-required';

export interface SamplingContext {
  /** Our own id for this request (unique per session), used by the panel and history. */
  readonly requestId: string;
  readonly serverName: string;
  /** Where the server is defined, for display and for "always allow" (e.g. a settings scope or an mcp.json path). */
  readonly serverSource: string;
  readonly route: SamplingRoute;
  /** The tool call that was running on that server when the request arrived, when known. */
  readonly toolCall?: { readonly name: string };
  /** Aborted when the server cancels the request, times out or disconnects. `signal.reason` says why. */
  readonly signal: AbortSignal;
  /** Present when the request carries a progress token: keeps the server's timeout alive while a human decides. */
  readonly reportProgress?: (message: string) => void;
}

export type ApprovalMode = 'ask' | 'auto' | 'deny';

export interface ModelInfo {
  readonly id: string;
  readonly family?: string;
  readonly name?: string;
  readonly maxInputTokens?: number;
  /** 0–1 metadata used against modelPreferences priorities (from settings). */
  readonly cost?: number;
  readonly speed?: number;
  readonly intelligence?: number;
}

export interface ProviderChoice {
  readonly providerId: string;
  readonly model: string;
  /** Why this provider and model were chosen, in words, e.g. `hint "claude" matched claude-3.5`. */
  readonly reason: string;
}

/** What a provider is asked to do: the MCP request in provider-neutral form. */
export interface ProviderRequest {
  readonly model: string;
  readonly systemPrompt?: string;
  readonly messages: readonly SamplingMessage[];
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly tools?: readonly Tool[];
  readonly toolChoice?: SamplingParams['toolChoice'];
}

export interface TokenUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** A provider's answer, already in MCP content terms. */
export interface ProviderResponse {
  readonly model: string;
  /** A single block, or an array when the model called tools (tool_use blocks, stopReason 'toolUse'). */
  readonly content: ResponseContent;
  readonly stopReason: 'endTurn' | 'stopSequence' | 'maxTokens' | 'toolUse' | (string & {});
  readonly usage?: TokenUsage;
}

/** Streaming text as it arrives, so the panel can show it. */
export type DeltaListener = (textDelta: string) => void;

export interface ModelProvider {
  readonly id: string;
  readonly label: string;
  /** Models this provider can use now; an empty list means it cannot answer. */
  listModels(signal: AbortSignal): Promise<readonly ModelInfo[]>;
  complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse>;
}

/** A request as the approval UI sees it. */
export interface ApprovalRequest {
  readonly id: string;
  readonly serverName: string;
  readonly serverSource: string;
  readonly route: SamplingRoute;
  readonly toolCall?: { readonly name: string };
  readonly params: SamplingParams;
  readonly choice: ProviderChoice;
  readonly providers: readonly { readonly id: string; readonly label: string; readonly models: readonly ModelInfo[] }[];
  /** A rough token estimate of the prompt, against the chosen model's input limit when known. */
  readonly tokenEstimate: number;
  readonly maxInputTokens?: number;
  /** Warnings computed from the content, e.g. hidden or bidi-override characters. */
  readonly warnings: readonly string[];
  readonly receivedAt: number;
}

export type ApprovalDecision =
  | {
      readonly kind: 'approve';
      /** The params to send, possibly edited by the user. */
      readonly params: SamplingParams;
      readonly choice: ProviderChoice;
      /** Remember the approval beyond this request. */
      readonly remember?: 'session' | 'always';
    }
  | { readonly kind: 'reject'; readonly reason?: string };

export type ReviewDecision =
  | { readonly kind: 'accept'; readonly content: ResponseContent }
  | { readonly kind: 'regenerate' }
  | { readonly kind: 'reject'; readonly reason?: string };

/** What happened to a request that the UI must show; the UI turns read-only on `closed`. */
export type RequestEvent =
  | { readonly kind: 'delta'; readonly text: string }
  | { readonly kind: 'response'; readonly response: ProviderResponse }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'closed'; readonly reason: string; readonly outcome: 'answered' | 'rejected' | 'cancelled' | 'failed' };

/** Implemented by the approval panel (src/vscode) and by tests. Every promise honours its signal. */
export interface ApprovalPrompter {
  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
  reviewResponse(requestId: string, response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision>;
  /** The manual provider: the user types the reply. */
  manualReply(requestId: string, signal: AbortSignal): Promise<string>;
  notify(requestId: string, event: RequestEvent): void;
  /**
   * A request answered without asking (auto mode or allowed for the session) that will still come
   * to the user for review: lets the UI show it in full before `reviewResponse`.
   */
  announce?(request: ApprovalRequest): void;
}
