/**
 * The approval panel's webview logic: keeps the request queue from the host's messages and redraws
 * the cards. Every message from the host is validated first; all DOM is built with textContent.
 * The cards are built by card.ts; the user's actions become messages in userActions.ts.
 * main.ts starts it in the browser; tests start it on a small fake DOM.
 */
import { parseHostMessage, type HostToWebview, type RequestView, type UnreadableView, type WebviewToHost } from '../shared/protocol';
import { approvalActions } from './approvalActions';
import { renderCard, renderStaleCard, type CardUi } from './card';
import { h, text } from './dom';
import type { Draft } from './drafts';
import { refreshEditState } from './editState';
import { startElicitationCards } from './elicitations';
import { readPersistedState, type ShownRequest } from './persisted';
import { appendStreamedText } from './responseSection';
import { renderUnreadableRequest } from './unreadable';
import { listenToUser } from './userActions';
import { createAnnouncer } from './announcer';
import { keyboardHelp } from './keyboardHelp';
import { t, useStrings } from './strings';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Starts the panel in `root` (the `#app` element), talking to the host through `vscode`. */
export function startApprovalPanel(root: HTMLElement, vscode: VsCodeApi): void {
  const persisted = readPersistedState(vscode.getState());
  const drafts: Record<string, Draft> = persisted.drafts;
  let shownBeforeReload: readonly ShownRequest[] = persisted.shown;
  const requests = new Map<string, RequestView>();
  /** Requests the panel could not read, by id: shown as "could not be displayed", still rejectable. */
  const unreadable = new Map<string, UnreadableView>();
  const diffOpen = new Set<string>();
  /** Cards whose reject form is open: a reason typed before a reload opens it again. */
  const rejecting = new Set(Object.keys(drafts).filter((id) => drafts[id]?.rejectReason));
  /** Closed cards kept on screen; older ones are dropped. */
  const MAX_CLOSED_SHOWN = 30;

  const app = root;
  const summary = h('p', { class: 'summary', 'data-role': 'summary' });
  const announcer = createAnnouncer();
  const list = h('div', { class: 'requests', 'data-role': 'requests' });
  const empty = text('p', t('emptyQueue'), { class: 'empty', 'data-role': 'empty' });
  const title = text('h1', t('panelTitle'));
  let help = keyboardHelp();
  const stale = h('div', { class: 'stale-requests', 'data-role': 'stale' });
  const elicitationList = h('div', { class: 'elicitations', 'data-role': 'elicitations' });
  app.replaceChildren(h('header', { class: 'panel-header' }, title, summary, help, announcer.element), elicitationList, list, stale, empty);

  /** The host's words arrived (with `state`): the panel's own texts in them; the cards are redrawn after. */
  function relabel(): void {
    title.textContent = t('panelTitle');
    empty.textContent = t('emptyQueue');
    const fresh = keyboardHelp();
    help.replaceWith(fresh);
    help = fresh;
  }
  const elicitations = startElicitationCards(elicitationList, (m) => send(m), () => refreshSummary());

  function saveState(): void {
    const ids = new Set(requests.keys());
    for (const id of Object.keys(drafts)) if (!ids.has(id)) delete drafts[id];
    const shown = [...requests.values()].filter((r) => r.state !== 'closed').map((r) => ({ requestId: r.requestId, serverName: r.serverName }));
    vscode.setState({ drafts, shown });
  }

  function send(message: WebviewToHost): void {
    vscode.postMessage(message);
  }

  function cardOf(requestId: string): HTMLElement | undefined {
    for (const el of list.children) if ((el as HTMLElement).dataset.requestId === requestId) return el as HTMLElement;
    return undefined;
  }

  function draftOf(requestId: string): Draft {
    return (drafts[requestId] ??= {});
  }

  const uiOf = (requestId: string): CardUi => ({ diffOpen: diffOpen.has(requestId), rejecting: rejecting.has(requestId) });

  function renderOne(view: RequestView): void {
    const card = renderCard(view, drafts[view.requestId] ?? {}, uiOf(view.requestId));
    const old = cardOf(view.requestId);
    const hadFocus = old?.contains(document.activeElement) ?? false;
    if (old) old.replaceWith(card);
    else list.append(card);
    refreshEdits(view.requestId);
    if (hadFocus) card.focus();
  }

  function renderAll(unreadableList: readonly UnreadableView[] = []): void {
    list.replaceChildren();
    unreadable.clear();
    for (const view of requests.values()) renderOne(view);
    for (const u of unreadableList) showUnreadable(u);
    refreshSummary();
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
  }

  function refreshSummary(): void {
    const waiting = [...requests.values()].filter((r) => r.state !== 'closed' && (r.step === 'approval' || r.step === 'review' || r.step === 'manual-reply')).length + unreadable.size + elicitations.openCount;
    summary.textContent = waiting === 0 ? t('nothingWaits') : waiting === 1 ? t('oneWaits') : t('manyWait', waiting);
    empty.hidden = list.childElementCount > 0 || stale.childElementCount > 0 || elicitationList.childElementCount > 0;
  }

  function trimClosed(): void {
    const closed = [...requests.values()].filter((r) => r.state === 'closed');
    for (const r of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SHOWN))) {
      requests.delete(r.requestId);
      cardOf(r.requestId)?.remove();
    }
  }

  function refreshEdits(requestId: string): void {
    const view = requests.get(requestId);
    const card = cardOf(requestId);
    if (view && card) refreshEditState(card, view, drafts[requestId] ?? {});
  }

  /** Redraws only the decision area of a pending card: the fields the user is editing stay as they are. */
  function redrawActions(requestId: string): void {
    const view = requests.get(requestId);
    const area = cardOf(requestId)?.querySelector('[data-role="actions-area"]');
    if (!view || !area) return;
    area.replaceWith(approvalActions(view, drafts[requestId] ?? {}, uiOf(requestId)));
    refreshEdits(requestId);
  }

  function onHostMessage(message: HostToWebview): void {
    // What was typed reaches the draft before any card is redrawn from it.
    typing.settle();
    switch (message.type) {
      case 'state': {
        if (message.strings) {
          useStrings(message.strings);
          relabel();
        }
        requests.clear();
        for (const r of message.requests) requests.set(r.requestId, r);
        if (message.restored) {
          const live = new Set(requests.keys());
          stale.replaceChildren(...shownBeforeReload.filter((s) => !live.has(s.requestId)).map(renderStaleCard));
        }
        shownBeforeReload = [];
        renderAll(message.unreadable);
        elicitations.setAll(message.elicitations ?? [], message.unreadableElicitations);
        break;
      }
      case 'request-unreadable':
        showUnreadable(message.view);
        break;
      case 'elicitation-unreadable':
        elicitations.unreadable(message.view);
        break;
      case 'elicitation-show':
        elicitations.show(message.elicitation);
        break;
      case 'elicitation-closed':
        elicitations.closed(message.elicitationId, message.reason);
        break;
      case 'request-added':
      case 'request-updated':
        unreadable.delete(message.request.requestId);
        announcer.requestChanged(requests.get(message.request.requestId), message.request);
        requests.set(message.request.requestId, message.request);
        renderOne(message.request);
        break;
      case 'delta': {
        const view = requests.get(message.requestId);
        if (!view || view.state === 'closed') return;
        const updated: RequestView = { ...view, state: 'streaming', step: 'answering', responseText: view.responseText + message.text };
        requests.set(view.requestId, updated);
        const target = cardOf(view.requestId)?.querySelector<HTMLElement>('[data-role="response-text"]');
        if (target && view.state === 'streaming') {
          appendStreamedText(target, message.text);
          cardOf(view.requestId)?.querySelector('[data-role="waiting"]')?.remove();
        } else renderOne(updated);
        break;
      }
      case 'response': {
        const view = requests.get(message.requestId);
        if (!view) return;
        const responseText = message.response.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
        const updated = { ...view, response: message.response, responseText };
        requests.set(view.requestId, updated);
        renderOne(updated);
        break;
      }
      case 'closed': {
        if (unreadable.delete(message.requestId)) {
          cardOf(message.requestId)?.remove();
          break;
        }
        const view = requests.get(message.requestId);
        if (!view) return;
        const updated: RequestView = { ...view, state: 'closed', step: 'done', closed: { outcome: message.outcome, reason: message.reason } };
        announcer.requestChanged(view, updated);
        requests.set(view.requestId, updated);
        delete drafts[view.requestId];
        diffOpen.delete(view.requestId);
        rejecting.delete(view.requestId);
        renderOne(updated);
        trimClosed();
        break;
      }
      case 'error': {
        const view = message.requestId === undefined ? undefined : requests.get(message.requestId);
        if (!view) {
          summary.textContent = message.message;
          return;
        }
        const updated = { ...view, error: message.message };
        requests.set(view.requestId, updated);
        renderOne(updated);
        break;
      }
    }
    refreshSummary();
    saveState();
  }

  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (message) onHostMessage(message);
  });

  const typing = listenToUser(app, {
    requests,
    isUnreadable: (requestId) => unreadable.has(requestId),
    draft: (requestId) => drafts[requestId],
    draftOf,
    cardOf,
    send,
    diffOpen,
    rejecting,
    redrawActions,
    draftChanged(requestId) {
      refreshEdits(requestId);
      saveState();
    },
  });

  send({ type: 'ready' });
}
