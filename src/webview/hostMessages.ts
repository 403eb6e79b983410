/**
 * The host's messages applied to the panel: the request cards, the elicitation cards and the
 * screen-reader announcements. Messages arrive here already validated (parseHostMessage).
 */
import type { HostToWebview, RequestView } from '../shared/protocol';
import type { Announcer } from './announcer';
import { renderStaleCard } from './card';
import type { ElicitationCards } from './elicitations';
import type { ShownRequest } from './persisted';
import type { RequestCards } from './requestCards';
import { appendStreamedText } from './responseSection';
import { useStrings } from './strings';

/** The parts of the panel a host message changes. */
export interface HostMessageTarget {
  readonly cards: RequestCards;
  readonly elicitations: ElicitationCards;
  readonly announcer: Announcer;
  /** Cards of requests shown before a reload that the host no longer has. */
  readonly stale: HTMLElement;
  readonly summary: HTMLElement;
  /** The host's words arrived: the panel's own texts take them. */
  relabel(): void;
  refreshSummary(): void;
  /** The requests shown before a reload; only the first `state` message reads them. */
  takeShownBeforeReload(): readonly ShownRequest[];
}

/** Applies one message; false when it changed nothing (so the summary and saved state stay as they are). */
export function applyHostMessage(message: HostToWebview, panel: HostMessageTarget): boolean {
  const { cards, elicitations } = panel;
  switch (message.type) {
    case 'state':
      applyState(message, panel);
      return true;
    case 'request-unreadable':
      cards.showUnreadable(message.view);
      return true;
    case 'elicitation-unreadable':
      elicitations.unreadable(message.view);
      return true;
    case 'elicitation-show':
      elicitations.show(message.elicitation);
      return true;
    case 'elicitation-closed':
      elicitations.closed(message.elicitationId, message.reason);
      return true;
    case 'request-added':
    case 'request-updated':
      cards.unreadable.delete(message.request.requestId);
      panel.announcer.requestChanged(cards.requests.get(message.request.requestId), message.request);
      cards.requests.set(message.request.requestId, message.request);
      cards.renderOne(message.request);
      return true;
    case 'delta':
      return applyDelta(message, cards);
    case 'response': {
      const view = cards.requests.get(message.requestId);
      if (!view) return false;
      const responseText = message.response.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      update(cards, { ...view, response: message.response, responseText });
      return true;
    }
    case 'closed':
      return applyClosed(message, panel);
    case 'error': {
      const view = message.requestId === undefined ? undefined : cards.requests.get(message.requestId);
      if (!view) {
        panel.summary.textContent = message.message;
        return false;
      }
      update(cards, { ...view, error: message.message });
      return true;
    }
  }
}

function update(cards: RequestCards, updated: RequestView): void {
  cards.requests.set(updated.requestId, updated);
  cards.renderOne(updated);
}

function applyState(message: Extract<HostToWebview, { type: 'state' }>, panel: HostMessageTarget): void {
  const { cards } = panel;
  if (message.strings) {
    useStrings(message.strings);
    panel.relabel();
  }
  cards.requests.clear();
  for (const r of message.requests) cards.requests.set(r.requestId, r);
  const shownBeforeReload = panel.takeShownBeforeReload();
  if (message.restored) {
    const live = new Set(cards.requests.keys());
    panel.stale.replaceChildren(...shownBeforeReload.filter((s) => !live.has(s.requestId)).map(renderStaleCard));
  }
  cards.renderAll(message.unreadable);
  panel.refreshSummary();
  panel.elicitations.setAll(message.elicitations ?? [], message.unreadableElicitations);
}

/** Streamed text is appended to the shown answer; the card is redrawn only when it starts streaming. */
function applyDelta(message: Extract<HostToWebview, { type: 'delta' }>, cards: RequestCards): boolean {
  const view = cards.requests.get(message.requestId);
  if (!view || view.state === 'closed') return false;
  const updated: RequestView = { ...view, state: 'streaming', step: 'answering', responseText: view.responseText + message.text };
  cards.requests.set(view.requestId, updated);
  const target = cards.cardOf(view.requestId)?.querySelector<HTMLElement>('[data-role="response-text"]');
  if (target && view.state === 'streaming') {
    appendStreamedText(target, message.text);
    cards.cardOf(view.requestId)?.querySelector('[data-role="waiting"]')?.remove();
  } else cards.renderOne(updated);
  return true;
}

function applyClosed(message: Extract<HostToWebview, { type: 'closed' }>, panel: HostMessageTarget): boolean {
  const { cards } = panel;
  if (cards.unreadable.delete(message.requestId)) {
    cards.cardOf(message.requestId)?.remove();
    return true;
  }
  const view = cards.requests.get(message.requestId);
  if (!view) return false;
  const updated: RequestView = { ...view, state: 'closed', step: 'done', closed: { outcome: message.outcome, reason: message.reason } };
  panel.announcer.requestChanged(view, updated);
  cards.requests.set(view.requestId, updated);
  cards.forgetEdits(view.requestId);
  cards.renderOne(updated);
  cards.trimClosed();
  return true;
}
