/**
 * The one place where approval sessions meet the webview protocol: queue events become host->webview
 * messages (views built by toView), and the webview's validated messages become a person's actions on
 * the queue. No vscode import, so Node tests drive it with the real protocol.
 */
import { applyEdits, EditError } from '../../core/approval/edits';
import type { ApprovalQueue, PersonAction, QueueEvent, SessionSnapshot } from '../../core/approval/queue';
import type { HostToWebview, RequestView, WebviewToHost } from '../../shared/protocol';
import { ENGLISH_WORDS, type PanelWords } from '../../shared/panelStrings';
import { requestAsText } from '../../shared/requestText';
import { ENGLISH_CARD_WORDS, fullRequestText, toRequestView, toResponseView, type CardWords } from './toView';

/** The webview's messages about sampling requests (not `ready`, not elicitation answers). */
export type RequestMessage = Exclude<WebviewToHost, { type: 'ready' } | { type: 'elicitation-answer' } | { type: 'panel-error' }>;

export interface BridgeHooks {
  post(message: HostToWebview): void;
  /** Open the editor's diff of the original request text against the edited one. */
  openDiff(requestId: string, original: string, edited: string): void;
  /** Open the complete request (what the model receives) in a read-only editor. */
  openFullRequest?(requestId: string, text: string): void;
  /** The panel's words in the display language (the diff's headings, errors to the card); English when absent. */
  readonly words?: PanelWords;
  /** How the diff's text words what the panel leaves out (the card's words); English when absent. */
  readonly cardWords?: CardWords;
}

/** `words` word the card's warnings and "not shown" notes (the panel gives its localized `CARD_WORDS`). */
export function requestView(session: SessionSnapshot, words: CardWords): RequestView {
  return toRequestView(session.request, {
    state: session.state,
    step: session.step,
    responseText: session.responseText,
    ...(session.response ? { response: toResponseView(session.response) } : {}),
    ...(session.error !== undefined ? { error: session.error } : {}),
    ...(session.closed ? { closed: session.closed } : {}),
  }, words);
}

export function toHostMessage(event: QueueEvent, words: CardWords): HostToWebview {
  switch (event.type) {
    case 'added':
      return { type: 'request-added', request: requestView(event.session, words) };
    case 'updated':
      return { type: 'request-updated', request: requestView(event.session, words) };
    case 'delta':
      return { type: 'delta', requestId: event.requestId, text: event.text };
    case 'response':
      return { type: 'response', requestId: event.requestId, response: toResponseView(event.response) };
    case 'error':
      return { type: 'error', requestId: event.requestId, message: event.message };
    case 'closed':
      return { type: 'closed', requestId: event.requestId, outcome: event.outcome, reason: event.reason };
  }
}

function toAction(message: Exclude<RequestMessage, { type: 'show-diff' } | { type: 'open-full-request' }>): PersonAction {
  switch (message.type) {
    case 'approve':
      return { type: 'approve', ...(message.edits ? { edits: message.edits } : {}), ...(message.remember ? { remember: message.remember } : {}) };
    case 'reject':
      return { type: 'reject', ...(message.reason !== undefined ? { reason: message.reason } : {}) };
    case 'approve-response':
      return { type: 'accept-response', ...(message.text !== undefined ? { text: message.text } : {}) };
    case 'reject-response':
      return { type: 'reject-response', ...(message.reason !== undefined ? { reason: message.reason } : {}) };
    case 'regenerate':
      return { type: 'regenerate' };
    case 'manual-reply':
      return { type: 'manual-reply', text: message.text };
  }
}

/** Carries one webview message to the queue; what cannot be done is answered with an `error` message. */
export function handleRequestMessage(queue: ApprovalQueue, message: RequestMessage, hooks: BridgeHooks): void {
  const requestId = message.requestId;
  const words = hooks.words ?? ENGLISH_WORDS;
  try {
    if (message.type === 'show-diff') {
      const session = queue.get(requestId);
      if (!session) return hooks.post({ type: 'error', requestId, message: words('requestGone') });
      // applyEdits checks the edits against the request and settles the model a provider switch picks.
      const { choice } = applyEdits(session.request, message.edits);
      // The request's text lists what the panel leaves out, as the card words it.
      const view = requestView(session, hooks.cardWords ?? ENGLISH_CARD_WORDS);
      hooks.openDiff(requestId, requestAsText(view, {}, words), requestAsText(view, { ...message.edits, providerId: choice.providerId, model: choice.model }, words));
      return;
    }
    if (message.type === 'open-full-request') {
      const session = queue.get(requestId);
      if (!session) return hooks.post({ type: 'error', requestId, message: words('requestGone') });
      hooks.openFullRequest?.(requestId, fullRequestText(session.request));
      return;
    }
    if (queue.act(requestId, toAction(message)) === 'unknown') {
      hooks.post({ type: 'error', requestId, message: words('requestGone') });
    }
  } catch (e) {
    if (!(e instanceof EditError)) throw e;
    hooks.post({ type: 'error', requestId, message: e.message });
  }
}
