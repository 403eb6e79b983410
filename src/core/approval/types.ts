/**
 * The approval port: one session per sampling request. The pipeline opens a session when a request is
 * admitted (`prompter.open(request)`) and talks only to it: approve, review, manual reply, streamed
 * text, the answer, errors, and a final close. The panel (src/vscode/panel) and the headless CLI
 * implement the prompter; nothing here imports vscode.
 */
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ModelInfo, ProviderChoice, ProviderResponse, ResponseContent } from '../providers/types';
import type { CloseOutcome, Remember, RequestEdits, RequestState, RequestStep } from '../../shared/protocol';
import type { RequestOrigin } from '../requestOrigin';
import type { RequestWarning } from './warnings';

type SamplingParams = CreateMessageRequest['params'];
/** "Remember this approval": for this session, or always (saved to the settings). */
export type { Remember };
/** The states, steps and outcomes are the panel protocol's lists (src/shared/requestView.ts): one list each. */
export type { CloseOutcome };
export type SessionState = RequestState;
export type SessionStep = RequestStep;

/** A request as the approval UI sees it: its origin plus what the pipeline learned about it. */
export interface ApprovalRequest {
  readonly origin: RequestOrigin;
  readonly params: SamplingParams;
  readonly choice: ProviderChoice;
  readonly providers: readonly { readonly id: string; readonly label: string; readonly models: readonly ModelInfo[] }[];
  /** A rough token estimate of the prompt, against the chosen model's input limit when known. */
  readonly tokenEstimate: number;
  readonly maxInputTokens?: number;
  /** Warnings computed from the content, e.g. hidden or bidi-override characters: data the host words in the display language (English: `formatWarning`). */
  readonly warnings: readonly RequestWarning[];
  readonly receivedAt: number;
}

export type ApprovalDecision =
  | {
      readonly kind: 'approve';
      /** The params to send, possibly edited by the user. */
      readonly params: SamplingParams;
      readonly choice: ProviderChoice;
      /** Remember the approval beyond this request. */
      readonly remember?: Remember;
    }
  | RejectDecision;

export type ReviewDecision = { readonly kind: 'accept'; readonly content: ResponseContent } | { readonly kind: 'regenerate' } | RejectDecision;

/** `unasked`: no person saw it; the panel refused (full, or not available). */
export type RejectDecision = { readonly kind: 'reject'; readonly reason?: string; readonly unasked?: true };

/** What happened to a request that the UI must show; the UI turns read-only on `closed`. */
export type RequestEvent =
  | { readonly kind: 'delta'; readonly text: string }
  | { readonly kind: 'response'; readonly response: ProviderResponse }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'closed'; readonly reason: string; readonly outcome: CloseOutcome };

export interface SessionOptions {
  /**
   * Whether a person takes part (approval, review or a typed reply): such a request is shown from the
   * start. A request answered without anyone (approval "auto", no review) is not shown unless a
   * person's step comes after all.
   */
  readonly withPerson: boolean;
}

/** One request's conversation with the approval UI. Every promise honours its signal. */
export interface ApprovalSession {
  /** A person approves (possibly edited) or rejects the request. */
  approve(signal: AbortSignal): Promise<ApprovalDecision>;
  /** A person accepts (possibly edited), regenerates or rejects the answer. */
  review(response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision>;
  /** The manual provider: a person types the reply. */
  manualReply(signal: AbortSignal): Promise<string>;
  /** The request's progress: streamed text, the answer, an error; `closed` ends the session. */
  notify(event: RequestEvent): void;
}

/** Implemented by the approval panel (src/vscode), the headless CLI and tests. */
export interface ApprovalPrompter {
  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession;
}

// ---- the queue that holds sessions for the approval UI (queue.ts) ----

/** One session as the UI shows it. */
export interface SessionSnapshot {
  readonly request: ApprovalRequest;
  readonly state: SessionState;
  readonly step: SessionStep;
  readonly responseText: string;
  readonly response?: ProviderResponse;
  readonly error?: string;
  readonly closed?: { readonly outcome: CloseOutcome; readonly reason: string };
}

/** What changed, for the UI: a session shown or changed, streamed text, an answer, an error, a close. */
export type QueueEvent =
  | { readonly type: 'added'; readonly session: SessionSnapshot }
  | { readonly type: 'updated'; readonly session: SessionSnapshot }
  | { readonly type: 'delta'; readonly requestId: string; readonly text: string }
  | { readonly type: 'response'; readonly requestId: string; readonly response: ProviderResponse }
  | { readonly type: 'error'; readonly requestId: string; readonly message: string }
  | { readonly type: 'closed'; readonly requestId: string; readonly outcome: CloseOutcome; readonly reason: string };

export interface ApprovalQueueHooks {
  changed(event: QueueEvent): void;
  /** A request needs a person now (bring the UI forward without taking focus). */
  attention(requestId: string): void;
  pendingCountChanged(count: number): void;
}

export interface ApprovalQueueOptions {
  /** Most requests shown and open (not closed) at once; a person's step past it is refused. */
  readonly maxOpen?: number;
  /** Closed requests kept for display, newest kept. */
  readonly maxClosedKept?: number;
}

/** What a person did on a request's card. */
export type PersonAction =
  | { readonly type: 'approve'; readonly edits?: RequestEdits; readonly remember?: Remember }
  | { readonly type: 'reject'; readonly reason?: string }
  | { readonly type: 'accept-response'; readonly text?: string }
  | { readonly type: 'reject-response'; readonly reason?: string }
  | { readonly type: 'regenerate' }
  | { readonly type: 'manual-reply'; readonly text: string };

/** Thrown into manualReply when the UI goes away (or is full) before a person answers. */
export class PanelClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PanelClosedError';
  }
}

