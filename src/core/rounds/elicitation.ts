/**
 * `elicitation/create` (2025-11-25 server request, and 2026-07-28 embedded input request): checks
 * what the server asks for, and checks the answer before it leaves — form content must match the
 * requested (restricted, flat) JSON Schema; URL mode needs the user's consent and never sends content.
 * The UI that asks the user is injected (`ElicitationPrompter`); a headless one is below.
 */

import { applyElicitationDefaults, parseElicitationRequest, validateElicitationContent, ElicitationError, type ElicitationRequest, type ElicitAction, type ElicitResult } from '../../shared/elicitation';

// The pure part lives in src/shared (the panel's webview validates with it too); re-exported for existing callers.
export * from '../../shared/elicitation';

export interface ElicitationPrompter {
  /** Shows the form; resolves with the user's action and, on accept, the values. */
  elicitForm(request: Extract<ElicitationRequest, { mode: 'form' }>, serverName: string, signal: AbortSignal): Promise<ElicitResult>;
  /** Asks whether to open the URL; on accept the UI opens it (the server learns only the action). */
  elicitUrl(request: Extract<ElicitationRequest, { mode: 'url' }>, serverName: string, signal: AbortSignal): Promise<ElicitAction>;
}

/**
 * Answers one `elicitation/create` (either route): validates the request, asks the prompter, and
 * checks the answer. Throws ElicitationError for an invalid request; an invalid answer from the UI
 * is an error too (it would be a bug there, and the server must not receive it).
 */
export function createElicitationResponder(prompter: ElicitationPrompter): (params: unknown, serverName: string, signal: AbortSignal) => Promise<ElicitResult> {
  return async (params, serverName, signal) => {
    const request = parseElicitationRequest(params);
    if (request.mode === 'url') {
      const action = await prompter.elicitUrl(request, serverName, signal);
      if (action !== 'accept' && action !== 'decline' && action !== 'cancel') throw new ElicitationError('The elicitation UI returned an unknown action');
      return { action };
    }
    const answer = await prompter.elicitForm(request, serverName, signal);
    if (answer.action === 'decline' || answer.action === 'cancel') return { action: answer.action };
    if (answer.action !== 'accept') throw new ElicitationError('The elicitation UI returned an unknown action');
    const content = answer.content ?? {};
    const problems = validateElicitationContent(request.requestedSchema, content);
    if (problems.length > 0) throw new ElicitationError(`The answer does not match the requested schema: ${problems.join('; ')}`);
    return { action: 'accept', content };
  };
}

/**
 * A prompter for headless use (the CLI, tests): form requests are accepted with the schema's
 * defaults when they satisfy it (else declined); URL requests are declined, since nobody can consent.
 */
export const headlessElicitationPrompter: ElicitationPrompter = {
  async elicitForm(request) {
    const content = applyElicitationDefaults(request.requestedSchema);
    return validateElicitationContent(request.requestedSchema, content).length === 0 ? { action: 'accept', content } : { action: 'decline' };
  },
  async elicitUrl() {
    return 'decline';
  },
};

/** A prompter that declines every request: for headless use when nobody agreed to send defaults. */
export const decliningElicitationPrompter: ElicitationPrompter = {
  async elicitForm() {
    return { action: 'decline' };
  },
  async elicitUrl() {
    return 'decline';
  },
};
