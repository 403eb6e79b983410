/**
 * Test prompters decide in code, one callback per step; `sessionFromScript` turns such a script into
 * the session the pipeline opens per request, so a test prompter implements `open` in one line.
 */
import type { ApprovalDecision, ApprovalRequest, ApprovalSession, RequestEvent, ReviewDecision, SessionOptions } from '../../src/core/approval/types';
import type { ProviderResponse } from '../../src/core/providers/types';

export interface PromptScript {
  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision>;
  reviewResponse(requestId: string, response: ProviderResponse, signal: AbortSignal): Promise<ReviewDecision>;
  manualReply?(requestId: string, signal: AbortSignal): Promise<string>;
  notify(requestId: string, event: RequestEvent): void;
  /** Called when the pipeline opens the request's session (`withPerson`: a person takes part). */
  opened?(request: ApprovalRequest, options: SessionOptions): void;
}

export function sessionFromScript(script: PromptScript, request: ApprovalRequest, options: SessionOptions): ApprovalSession {
  const id = request.origin.requestId;
  script.opened?.(request, options);
  return {
    approve: (signal) => script.requestApproval(request, signal),
    review: (response, signal) => script.reviewResponse(id, response, signal),
    manualReply: (signal) => (script.manualReply ? script.manualReply(id, signal) : Promise.reject(new Error('this test prompter types no reply'))),
    notify: (event) => script.notify(id, event),
  };
}
