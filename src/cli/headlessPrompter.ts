/**
 * The approval UI of the headless client: nobody is there, so approval is `auto` in the settings
 * (this prompter is then never asked), answers are not reviewed, and a manual reply is impossible.
 */
import type { Logger } from '../core/logger';
import type { ApprovalDecision, ApprovalPrompter, ApprovalRequest, ProviderResponse, RequestEvent, ReviewDecision } from '../core/sampling/types';

export class HeadlessPrompter implements ApprovalPrompter {
  constructor(private readonly logger: Logger) {}

  requestApproval(request: ApprovalRequest): Promise<ApprovalDecision> {
    return Promise.resolve({ kind: 'approve', params: request.params, choice: request.choice });
  }

  reviewResponse(_requestId: string, response: ProviderResponse): Promise<ReviewDecision> {
    return Promise.resolve({ kind: 'accept', content: response.content });
  }

  manualReply(): Promise<string> {
    return Promise.reject(new Error('No model provider is configured (pass --provider-url), and nobody can type a reply'));
  }

  notify(requestId: string, event: RequestEvent): void {
    if (event.kind === 'closed') this.logger.info(`sampling ${requestId}: ${event.outcome} (${event.reason})`);
    else if (event.kind === 'error') this.logger.warn(`sampling ${requestId}: ${event.message}`);
  }
}
