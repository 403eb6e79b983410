/**
 * The contract between the sampling pipeline (core), the providers, and the approval UI.
 * Nothing here imports vscode: src/vscode adapts the panel, vscode.lm and settings to these.
 */
import type {
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  SamplingMessage,
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
  PersonAtHand,
  ProviderChoice,
  ProviderRequest,
  ProviderResponse,
  ResponseContent,
} from '../providers/types';
export type { SamplingMessage };

export type { RequestOrigin, SamplingRoute } from '../requestOrigin';
import type { RequestOrigin } from '../requestOrigin';

/** One request as the pipeline handles it: its origin, plus what ends it and what keeps the server waiting. */
export interface SamplingContext extends RequestOrigin {
  /** Aborted when the server cancels the request, times out or disconnects. `signal.reason` says why. */
  readonly signal: AbortSignal;
  /** Present when the request carries a progress token: keeps the server's timeout alive while a human decides. */
  readonly reportProgress?: (message: string) => void;
}

export type ApprovalMode = 'ask' | 'auto' | 'deny';

export type {
  ApprovalDecision,
  ApprovalPrompter,
  ApprovalRequest,
  ApprovalSession,
  Remember,
  RequestEvent,
  ReviewDecision,
  SessionOptions,
} from '../approval/types';
