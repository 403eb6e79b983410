/**
 * Lets the OpenAI-compatible endpoint follow its own requests through the shared sampling pipeline
 * without changing it: the pipeline's prompter is wrapped, and the session of a request that has an
 * observer reports to it what the pipeline tells the panel (a person was asked, streamed text, the
 * answer with its usage). Requests without an observer pass straight through.
 */
import type { ApprovalPrompter, ApprovalRequest, ApprovalSession, SessionOptions } from '../../approval/types';
import type { ProviderResponse } from '../../providers/types';
import type { SamplingContext, SamplingResult, SamplingResultWithTools } from '../../sampling/types';

export interface RequestObserver {
  /** The pipeline asked a person to approve (so the global review setting may apply to the answer). */
  approvalAsked?(): void;
  delta?(text: string): void;
  response?(response: ProviderResponse): void;
}

/** One request through the pipeline, observed (what the endpoint is given to run completions). */
export type SamplingRun = (params: unknown, ctx: SamplingContext, observer: RequestObserver) => Promise<SamplingResult | SamplingResultWithTools>;

export class ObservedPrompter implements ApprovalPrompter {
  private readonly observers = new Map<string, RequestObserver>();

  constructor(private readonly inner: ApprovalPrompter) {}

  /** Runs `task` (the pipeline call for `requestId`) with `observer` attached to that request's session. */
  async observe<T>(requestId: string, observer: RequestObserver, task: () => Promise<T>): Promise<T> {
    this.observers.set(requestId, observer);
    try {
      return await task();
    } finally {
      this.observers.delete(requestId);
    }
  }

  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    const session = this.inner.open(request, options);
    const observer = this.observers.get(request.origin.requestId);
    if (!observer) return session;
    return {
      approve: (signal) => {
        observer.approvalAsked?.();
        return session.approve(signal);
      },
      review: (response, signal) => session.review(response, signal),
      manualReply: (signal) => session.manualReply(signal),
      notify: (event) => {
        session.notify(event);
        if (event.kind === 'delta') observer.delta?.(event.text);
        else if (event.kind === 'response') observer.response?.(event.response);
      },
    };
  }
}
