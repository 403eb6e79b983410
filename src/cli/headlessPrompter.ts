/**
 * The approval UI of the headless client: nobody is there, so approval is `auto` in the settings
 * (no approval is asked), answers are not reviewed, and a manual reply is impossible.
 */
import type { ApprovalPrompter, ApprovalRequest, ApprovalSession } from '../core/approval/types';
import type { Logger } from '../core/logger';

export class HeadlessPrompter implements ApprovalPrompter {
  constructor(private readonly logger: Logger) {}

  open(request: ApprovalRequest): ApprovalSession {
    const id = request.origin.requestId;
    return {
      approve: () => Promise.resolve({ kind: 'approve', params: request.params, choice: request.choice }),
      review: (response) => Promise.resolve({ kind: 'accept', content: response.content }),
      manualReply: () => Promise.reject(new Error('No model provider is configured (pass --provider-url), and nobody can type a reply')),
      notify: (event) => {
        if (event.kind === 'closed') this.logger.info(`sampling ${id}: ${event.outcome} (${event.reason})`);
        else if (event.kind === 'error') this.logger.warn(`sampling ${id}: ${event.message}`);
      },
    };
  }
}
