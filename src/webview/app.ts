/**
 * The approval panel's webview logic: keeps the request queue from the host's messages and redraws
 * the cards. Every message from the host is validated first; all DOM is built with textContent.
 * The request cards and their state live in requestCards.ts, the host's messages are applied in
 * hostMessages.ts, the cards are built by card.ts; the user's actions become messages in userActions.ts.
 * main.ts starts it in the browser; tests start it on a small fake DOM.
 */
import { parseHostMessage, type WebviewToHost } from '../shared/protocol';
import { h, text } from './dom';
import { startElicitationCards } from './elicitations';
import { applyHostMessage } from './hostMessages';
import { readPersistedState, type ShownRequest } from './persisted';
import { createRequestCards } from './requestCards';
import { listenToUser } from './userActions';
import { createAnnouncer } from './announcer';
import { keyboardHelp } from './keyboardHelp';
import { reportPanelErrors } from './panelErrors';
import { t } from './strings';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** The panel's fixed parts: the header (title, summary, keyboard help, announcer) and the lists. */
function buildLayout(app: HTMLElement) {
  const summary = h('p', { class: 'summary', 'data-role': 'summary' });
  const announcer = createAnnouncer();
  const list = h('div', { class: 'requests', 'data-role': 'requests' });
  const empty = text('p', t('emptyQueue'), { class: 'empty', 'data-role': 'empty' });
  const title = text('h1', t('panelTitle'));
  let help = keyboardHelp();
  const stale = h('div', { class: 'stale-requests', 'data-role': 'stale' });
  const elicitationList = h('div', { class: 'elicitations', 'data-role': 'elicitations' });
  const panelError = h('p', { class: 'panel-error', role: 'alert', 'data-role': 'panel-error', hidden: true });
  app.replaceChildren(h('header', { class: 'panel-header' }, title, summary, help, announcer.element, panelError), elicitationList, list, stale, empty);

  /** The host's words arrived (with `state`): the panel's own texts in them; the cards are redrawn after. */
  function relabel(): void {
    title.textContent = t('panelTitle');
    empty.textContent = t('emptyQueue');
    const fresh = keyboardHelp();
    help.replaceWith(fresh);
    help = fresh;
  }
  return { summary, announcer, list, empty, stale, elicitationList, panelError, relabel };
}

/** Starts the panel in `root` (the `#app` element), talking to the host through `vscode`. */
export function startApprovalPanel(root: HTMLElement, vscode: VsCodeApi): void {
  const persisted = readPersistedState(vscode.getState());
  let shownBeforeReload: readonly ShownRequest[] = persisted.shown;
  const { summary, announcer, list, empty, stale, elicitationList, panelError, relabel } = buildLayout(root);
  const cards = createRequestCards(list, persisted.drafts);
  const elicitations = startElicitationCards(elicitationList, (m) => send(m), () => refreshSummary());

  function saveState(): void {
    const shown = cards.pruneDrafts();
    vscode.setState({ drafts: cards.drafts, shown });
  }

  function send(message: WebviewToHost): void {
    vscode.postMessage(message);
  }

  function refreshSummary(): void {
    const waiting = cards.waitingCount() + elicitations.openCount;
    summary.textContent = waiting === 0 ? t('nothingWaits') : waiting === 1 ? t('oneWaits') : t('manyWait', waiting);
    empty.hidden = list.childElementCount > 0 || stale.childElementCount > 0 || elicitationList.childElementCount > 0;
  }

  const target = {
    cards,
    elicitations,
    announcer,
    stale,
    summary,
    relabel,
    refreshSummary,
    takeShownBeforeReload() {
      const shown = shownBeforeReload;
      shownBeforeReload = [];
      return shown;
    },
  };

  reportPanelErrors(window, panelError, send);

  window.addEventListener('message', (event: MessageEvent) => {
    const message = parseHostMessage(event.data);
    if (!message) return;
    // What was typed reaches the draft before any card is redrawn from it.
    typing.settle();
    if (!applyHostMessage(message, target)) return;
    refreshSummary();
    saveState();
  });

  const typing = listenToUser(root, {
    requests: cards.requests,
    isUnreadable: (requestId) => cards.unreadable.has(requestId),
    draft: (requestId) => cards.drafts[requestId],
    draftOf: cards.draftOf,
    cardOf: cards.cardOf,
    send,
    diffOpen: cards.diffOpen,
    rejecting: cards.rejecting,
    redrawActions: cards.redrawActions,
    draftChanged(requestId) {
      cards.refreshEdits(requestId);
      saveState();
    },
  });

  send({ type: 'ready' });
}
