/**
 * The approval panel's webview logic: renders the request queue and turns the user's actions into
 * protocol messages. Every message from the host is validated first; all DOM is built with textContent.
 * main.ts starts it in the browser; tests start it on a small fake DOM.
 */
import { parseHostMessage, type HostToWebview, type RequestView, type UnreadableView, type WebviewToHost } from '../shared/protocol';
import { fillModelOptions, renderCard, renderStaleCard } from './card';
import { h, text } from './dom';
import { computeEdits, requestAsText, type Draft } from './drafts';
import { startElicitationCards } from './elicitations';
import { lineDiff } from './lineDiff';
import { readPersistedState, type ShownRequest } from './persisted';
import { renderUnreadableRequest } from './unreadable';

export interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}

const FIELD_TAGS = new Set(['input', 'textarea', 'select']);
type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const isField = (el: Element): el is Field => FIELD_TAGS.has(el.tagName.toLowerCase());
const asElement = (target: EventTarget | null): Element | undefined =>
  target && typeof (target as Element).closest === 'function' ? (target as Element) : undefined;

/** Starts the panel in `root` (the `#app` element), talking to the host through `vscode`. */
export function startApprovalPanel(root: HTMLElement, vscode: VsCodeApi): void {
  const persisted = readPersistedState(vscode.getState());
  const drafts: Record<string, Draft> = persisted.drafts;
  let shownBeforeReload: readonly ShownRequest[] = persisted.shown;
  const requests = new Map<string, RequestView>();
  /** Requests the panel could not read, by id: shown as "could not be displayed", still rejectable. */
  const unreadable = new Map<string, UnreadableView>();
  const diffOpen = new Set<string>();
  /** Closed cards kept on screen; older ones are dropped. */
  const MAX_CLOSED_SHOWN = 30;

  const app = root;
  const summary = h('p', { class: 'summary', role: 'status', 'data-role': 'summary' });
  const list = h('div', { class: 'requests', 'data-role': 'requests' });
  const empty = text('p', 'No sampling requests. When an MCP server asks for a completion, it appears here for you to approve.', { class: 'empty', 'data-role': 'empty' });
  const stale = h('div', { class: 'stale-requests', 'data-role': 'stale' });
  const elicitationList = h('div', { class: 'elicitations', 'data-role': 'elicitations' });
  app.replaceChildren(h('header', { class: 'panel-header' }, text('h1', 'Sampling requests'), summary), elicitationList, list, stale, empty);
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

  function renderOne(view: RequestView): void {
    const card = renderCard(view, drafts[view.requestId] ?? {}, { diffOpen: diffOpen.has(view.requestId) });
    const old = cardOf(view.requestId);
    const hadFocus = old?.contains(document.activeElement) ?? false;
    if (old) old.replaceWith(card);
    else list.append(card);
    refreshEditState(view.requestId);
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
    summary.textContent = waiting === 0 ? 'Nothing waits for you.' : `${waiting} request${waiting === 1 ? '' : 's'} wait${waiting === 1 ? 's' : ''} for you.`;
    empty.hidden = list.childElementCount > 0 || stale.childElementCount > 0 || elicitationList.childElementCount > 0;
  }

  function trimClosed(): void {
    const closed = [...requests.values()].filter((r) => r.state === 'closed');
    for (const r of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SHOWN))) {
      requests.delete(r.requestId);
      cardOf(r.requestId)?.remove();
    }
  }

  /** Marks edited fields, shows draft errors and the inline diff, without re-rendering (keeps focus). */
  function refreshEditState(requestId: string): void {
    const view = requests.get(requestId);
    const card = cardOf(requestId);
    if (!view || !card || view.step !== 'approval' || view.state !== 'pending') return;
    const result = computeEdits(view, drafts[requestId] ?? {});
    for (const wrap of card.querySelectorAll<HTMLElement>('[data-field-wrap]')) {
      const field = wrap.dataset.fieldWrap ?? '';
      const edited = (result.edited as ReadonlySet<string>).has(field);
      wrap.classList.toggle('edited', edited);
      wrap.querySelector('[data-field]')?.toggleAttribute('data-edited', edited);
    }
    const errors = card.querySelector<HTMLElement>('[data-role="draft-errors"]');
    errors?.replaceChildren(...result.errors.map((e) => text('p', e)));
    for (const action of ['approve', 'allow-session', 'always-allow', 'show-diff']) {
      card.querySelector(`[data-action="${action}"]`)?.toggleAttribute('disabled', result.errors.length > 0);
    }
    const diff = card.querySelector<HTMLElement>('[data-role="diff"]');
    if (diff && !diff.hidden) {
      const lines = lineDiff(requestAsText(view, undefined), requestAsText(view, drafts[requestId]));
      const changed = lines.some((l) => l.kind !== 'same');
      diff.replaceChildren(
        changed
          ? h('pre', { class: 'diff-lines' }, ...lines.map((l) => text('span', `${l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}${l.text}\n`, { class: `diff-${l.kind}` })))
          : text('p', 'No changes.', { class: 'muted' }),
      );
    }
  }

  function onHostMessage(message: HostToWebview): void {
    switch (message.type) {
      case 'state': {
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
          target.append(message.text);
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
        requests.set(view.requestId, updated);
        delete drafts[view.requestId];
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

  // ---- user actions ----

  function requestIdOf(el: Element): string | undefined {
    return el.closest<HTMLElement>('[data-request-id]')?.dataset.requestId;
  }

  function runAction(requestId: string, action: string): void {
    if (unreadable.has(requestId)) {
      if (action === 'reject') send({ type: 'reject', requestId });
      else if (action === 'open-full-request') send({ type: 'open-full-request', requestId });
      return;
    }
    const view = requests.get(requestId);
    if (!view || view.state === 'closed') return;
    const draft = drafts[requestId] ?? {};
    const edits = () => computeEdits(view, draft);
    switch (action) {
      case 'approve':
      case 'always-allow':
      case 'allow-session': {
        if (view.step !== 'approval') return;
        const result = edits();
        if (result.errors.length) return;
        const base = { requestId, ...(result.edits ? { edits: result.edits } : {}) };
        send(action === 'approve' ? { type: 'approve', ...base } : { type: action, ...base });
        return;
      }
      case 'reject': {
        if (view.step !== 'approval') return;
        const reason = draft.rejectReason?.trim();
        send({ type: 'reject', requestId, ...(reason ? { reason } : {}) });
        return;
      }
      case 'toggle-diff':
        if (diffOpen.has(requestId)) diffOpen.delete(requestId);
        else diffOpen.add(requestId);
        renderOne(view);
        cardOf(requestId)?.querySelector<HTMLElement>('[data-action="toggle-diff"]')?.focus();
        return;
      case 'open-full-request':
        send({ type: 'open-full-request', requestId });
        return;
      case 'show-diff': {
        const result = edits();
        if (!result.errors.length) send({ type: 'show-diff', requestId, edits: result.edits ?? {} });
        return;
      }
      case 'approve-response': {
        if (view.step !== 'review') return;
        const edited = draft.response !== undefined && draft.response !== view.responseText;
        send({ type: 'approve-response', requestId, ...(edited ? { text: draft.response } : {}) });
        return;
      }
      case 'reject-response':
        if (view.step === 'review') send({ type: 'reject-response', requestId });
        return;
      case 'regenerate':
        if (view.step === 'review') {
          delete draft.response;
          send({ type: 'regenerate', requestId });
        }
        return;
      case 'send-manual-reply':
        if (view.step === 'manual-reply') send({ type: 'manual-reply', requestId, text: draft.manualReply ?? '' });
        return;
    }
  }

  app.addEventListener('click', (event) => {
    const target = asElement(event.target)?.closest<HTMLElement>('[data-action]');
    if (!target || target.hasAttribute('disabled') || isField(target)) return;
    const requestId = requestIdOf(target);
    if (requestId) runAction(requestId, target.dataset.action ?? '');
  });

  function onFieldInput(event: Event): void {
    const target = asElement(event.target);
    if (!target || !isField(target)) return;
    const requestId = requestIdOf(target);
    const action = target.dataset.action ?? '';
    if (!requestId || !requests.has(requestId)) return;
    const draft = draftOf(requestId);
    const value = target.value;
    if (action === 'edit-system-prompt') draft.systemPrompt = value;
    else if (action.startsWith('edit-message-')) (draft.messages ??= {})[action.slice('edit-message-'.length)] = value;
    else if (action === 'edit-max-tokens') draft.maxTokens = value;
    else if (action === 'edit-temperature') draft.temperature = value;
    else if (action === 'edit-model') draft.model = value;
    else if (action === 'edit-provider') onProviderChange(requestId, draft, value);
    else if (action === 'edit-response') draft.response = value;
    else if (action === 'manual-reply') draft.manualReply = value;
    else if (action === 'reject-reason') draft.rejectReason = value;
    else return;
    refreshEditState(requestId);
    saveState();
  }

  /** A provider switch offers that provider's models and picks its first when the current model is not among them. */
  function onProviderChange(requestId: string, draft: Draft, providerId: string): void {
    draft.providerId = providerId;
    const view = requests.get(requestId);
    const card = cardOf(requestId);
    const provider = view?.providers.find((p) => p.id === providerId);
    if (!view || !card || !provider) return;
    const datalist = card.querySelector<HTMLElement>('[data-role="model-options"]');
    if (datalist) fillModelOptions(datalist, provider.models);
    const current = draft.model ?? view.choice.model;
    const first = provider.models[0];
    if (first && !provider.models.some((m) => m.id === current)) {
      draft.model = first.id;
      const input = card.querySelector<HTMLInputElement>('[data-action="edit-model"]');
      if (input) input.value = first.id;
    }
  }

  app.addEventListener('input', onFieldInput);
  app.addEventListener('change', onFieldInput);

  /**
   * The request Ctrl/Cmd+Enter acts on: only the one whose card has focus. Never another: when the
   * focused card closed (the server cancelled it) or focus is outside every card, the key does nothing,
   * so it cannot approve a request the user never looked at.
   */
  function currentRequest(): RequestView | undefined {
    const focused = document.activeElement ? requestIdOf(document.activeElement) : undefined;
    const candidate = focused ? requests.get(focused) : undefined;
    return candidate && candidate.state !== 'closed' ? candidate : undefined;
  }

  // Capture phase: a focused button must not also treat Ctrl+Enter as its own Enter press.
  document.addEventListener(
    'keydown',
    (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const view = currentRequest();
      if (!view) return;
      const action = view.step === 'approval' ? 'approve' : view.step === 'review' ? 'approve-response' : view.step === 'manual-reply' ? 'send-manual-reply' : undefined;
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      runAction(view.requestId, action);
    },
    true,
  );


  send({ type: 'ready' });
}
