/**
 * The request cards in the panel's list and what they are drawn from: the requests, the ones the
 * panel could not read, the drafts, and which cards have their diff or reject form open.
 * app.ts keeps the rest of the panel; hostMessages.ts changes these from the host's messages.
 */
import type { RequestView, UnreadableView } from '../shared/protocol';
import { approvalActions } from './approvalActions';
import { renderCard, type CardUi } from './card';
import type { Draft } from './drafts';
import { refreshEditState } from './editState';
import type { ShownRequest } from './persisted';
import { renderUnreadableRequest } from './unreadable';
import { releaseDetachedEditors } from './bigText';

/** Closed cards kept on screen; older ones are dropped. */
const MAX_CLOSED_SHOWN = 30;

export interface RequestCards {
  readonly requests: Map<string, RequestView>;
  /** Requests the panel could not read, by id: shown as "could not be displayed", still rejectable. */
  readonly unreadable: Map<string, UnreadableView>;
  readonly drafts: Record<string, Draft>;
  /** Cards whose "Show changes" diff is open. */
  readonly diffOpen: Set<string>;
  /** Cards whose reject form is open: a reason typed before a reload opens it again. */
  readonly rejecting: Set<string>;
  cardOf(requestId: string): HTMLElement | undefined;
  draftOf(requestId: string): Draft;
  renderOne(view: RequestView): void;
  /** Redraws every card from `requests`, with the unreadable ones after them. */
  renderAll(unreadableList?: readonly UnreadableView[]): void;
  showUnreadable(view: UnreadableView): void;
  /** Drops the oldest closed cards beyond MAX_CLOSED_SHOWN. */
  trimClosed(): void;
  refreshEdits(requestId: string): void;
  /** Redraws only the decision area of a pending card: the fields the user is editing stay as they are. */
  redrawActions(requestId: string): void;
  /** A closed request's draft and open forms are no longer needed. */
  forgetEdits(requestId: string): void;
  /** Requests waiting for the user: to approve, review, reply to, or (unreadable) reject. */
  waitingCount(): number;
  /** Drops drafts of requests no longer listed; returns the open requests, to show after a reload. */
  pruneDrafts(): ShownRequest[];
}

export function createRequestCards(list: HTMLElement, drafts: Record<string, Draft>): RequestCards {
  const requests = new Map<string, RequestView>();
  const unreadable = new Map<string, UnreadableView>();
  const diffOpen = new Set<string>();
  const rejecting = new Set(Object.keys(drafts).filter((id) => drafts[id]?.rejectReason));

  function cardOf(requestId: string): HTMLElement | undefined {
    for (const el of list.children) if ((el as HTMLElement).dataset.requestId === requestId) return el as HTMLElement;
    return undefined;
  }

  const uiOf = (requestId: string): CardUi => ({ diffOpen: diffOpen.has(requestId), rejecting: rejecting.has(requestId) });

  function refreshEdits(requestId: string): void {
    const view = requests.get(requestId);
    const card = cardOf(requestId);
    if (view && card) refreshEditState(card, view, drafts[requestId] ?? {});
  }

  function renderOne(view: RequestView): void {
    const card = renderCard(view, drafts[view.requestId] ?? {}, uiOf(view.requestId));
    const old = cardOf(view.requestId);
    const hadFocus = old?.contains(document.activeElement) ?? false;
    if (old) old.replaceWith(card);
    else list.append(card);
    releaseDetachedEditors();
    refreshEdits(view.requestId);
    if (hadFocus) card.focus();
  }

  function showUnreadable(view: UnreadableView): void {
    const card = renderUnreadableRequest(view);
    const old = view.id !== undefined ? cardOf(view.id) : undefined;
    if (view.id !== undefined) {
      requests.delete(view.id);
      unreadable.set(view.id, view);
    }
    if (old) old.replaceWith(card);
    else list.append(card);
    releaseDetachedEditors();
  }

  return {
    requests,
    unreadable,
    drafts,
    diffOpen,
    rejecting,
    cardOf,
    draftOf: (requestId) => (drafts[requestId] ??= {}),
    renderOne,
    renderAll(unreadableList = []) {
      list.replaceChildren();
      releaseDetachedEditors();
      unreadable.clear();
      for (const view of requests.values()) renderOne(view);
      for (const u of unreadableList) showUnreadable(u);
    },
    showUnreadable,
    trimClosed() {
      const closed = [...requests.values()].filter((r) => r.state === 'closed');
      for (const r of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SHOWN))) {
        requests.delete(r.requestId);
        cardOf(r.requestId)?.remove();
      }
      releaseDetachedEditors();
    },
    refreshEdits,
    redrawActions(requestId) {
      const view = requests.get(requestId);
      const area = cardOf(requestId)?.querySelector('[data-role="actions-area"]');
      if (!view || !area) return;
      area.replaceWith(approvalActions(view, drafts[requestId] ?? {}, uiOf(requestId)));
      refreshEdits(requestId);
    },
    forgetEdits(requestId) {
      delete drafts[requestId];
      diffOpen.delete(requestId);
      rejecting.delete(requestId);
    },
    waitingCount() {
      return [...requests.values()].filter((r) => r.state !== 'closed' && (r.step === 'approval' || r.step === 'review' || r.step === 'manual-reply')).length + unreadable.size;
    },
    pruneDrafts() {
      const ids = new Set(requests.keys());
      for (const id of Object.keys(drafts)) if (!ids.has(id)) delete drafts[id];
      return [...requests.values()].filter((r) => r.state !== 'closed').map((r) => ({ requestId: r.requestId, serverName: r.serverName }));
    },
  };
}
