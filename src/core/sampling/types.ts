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
export type {
  DeltaListener,
  ModelInfo,
  ModelProvider,
  ProviderChoice,
  ProviderRequest,
  ProviderResponse,
  ResponseContent,
  TokenUsage,
} from '../providers/types';
import type { ModelInfo, ProviderChoice, ProviderResponse, ResponseContent } from '../providers/types';
export type { SamplingMessage, Tool };

export type { RequestOrigin, SamplingRoute } from '../requestOrigin';
import type { RequestOrigin, SamplingRoute } from '../requestOrigin';

/** One request as the pipeline handles it: its origin, plus what ends it and what keeps the server waiting. */
export interface SamplingContext extends RequestOrigin {
  /** Aborted when the server cancels the request, times out or disconnects. `signal.reason` says why. */
  readonly signal: AbortSignal;
  /** Present when the request carries a progress token: keeps the server's timeout alive while a human decides. */
  readonly reportProgress?: (message: string) => void;
}

export type ApprovalMode = 'ask' | 'auto' | 'deny';

/** A request as the approval UI sees it. */
export interface ApprovalRequest {
  readonly id: string;
  readonly serverName: string;
  readonly serverSource: string;
  readonly route: SamplingRoute;
  readonly toolCall?: { readonly name: string; readonly caller?: string };
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
