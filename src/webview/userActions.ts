/**
 * The user's side of the panel: clicks, typing and keys on the cards become drafts and protocol
 * messages. Reject takes two steps (Reject opens the reason field; Enter or "Reject request"
 * sends, Escape or "Cancel" keeps the request); Ctrl/Cmd+Enter acts on the focused card only.
 * Typing does no work on the text: a keystroke only notes the field; once typing pauses for
 * EDIT_SETTLE_MS (or before any action or host message) the draft takes the fields' text and the
 * values derived from it (edited marks, errors, token estimate, the open diff) refresh once.
 */
import type { RequestView, WebviewToHost } from '../shared/protocol';
import { fillModelOptions } from './requestSections';
import { computeEdits, type Draft } from './drafts';
import { fieldText, isTextSource } from './bigText';

/** What the user actions need from the panel (app.ts). */
export interface PanelModel {
  readonly requests: ReadonlyMap<string, RequestView>;
  isUnreadable(requestId: string): boolean;
  /** The draft, if the user edited anything. */
  draft(requestId: string): Draft | undefined;
  /** The draft, created when missing. */
  draftOf(requestId: string): Draft;
  cardOf(requestId: string): HTMLElement | undefined;
  send(message: WebviewToHost): void;
  /** Cards whose "Show changes" diff is open. */
  readonly diffOpen: Set<string>;
  /** Cards whose reject form is open. */
  readonly rejecting: Set<string>;
  /** Redraws a pending card's decision area (after the reject form or the changes opened or closed). */
  redrawActions(requestId: string): void;
  /** A draft changed: marks edited fields, shows errors and the diff, saves the webview state. */
  draftChanged(requestId: string): void;
}

/** The pause in typing after which a draft takes the typed text and its derived values refresh. */
export const EDIT_SETTLE_MS = 200;

/** Ends typing's pause early: the draft takes the typed text now (before an action or a redraw). */
export interface TypingSettler {
  settle(): void;
}

const FIELD_TAGS = new Set(['input', 'textarea', 'select']);
/** A form field (input, text area, select), or a long text's editor (bigText.ts). */
type Field = HTMLElement;
const isField = (el: Element): el is Field => FIELD_TAGS.has(el.tagName.toLowerCase()) || isTextSource(el);
const asElement = (target: EventTarget | null): Element | undefined =>
  target && typeof (target as Element).closest === 'function' ? (target as Element) : undefined;
const requestIdOf = (el: Element): string | undefined => el.closest<HTMLElement>('[data-request-id]')?.dataset.requestId;

const focusIn = (panel: PanelModel, requestId: string, selector: string) => panel.cardOf(requestId)?.querySelector<HTMLElement>(selector)?.focus();

/** Copies one field's value into its request's draft; returns the request when the field is one of its draft's. */
function readField(panel: PanelModel, target: Field): string | undefined {
  const requestId = requestIdOf(target);
  const action = target.dataset.action ?? '';
  if (!requestId || !panel.requests.has(requestId)) return undefined;
  const draft = panel.draftOf(requestId);
  const value = fieldText(target);
  if (action === 'edit-system-prompt') draft.systemPrompt = value;
  else if (action.startsWith('edit-message-')) (draft.messages ??= {})[action.slice('edit-message-'.length)] = value;
  else if (action === 'edit-max-tokens') draft.maxTokens = value;
  else if (action === 'edit-temperature') draft.temperature = value;
  else if (action === 'edit-model') draft.model = value;
  else if (action === 'edit-provider') onProviderChange(panel, requestId, draft, value);
  else if (action === 'edit-response') draft.response = value;
  else if (action === 'manual-reply') draft.manualReply = value;
  else if (action === 'reject-reason') draft.rejectReason = value;
  else return undefined;
  return requestId;
}

/** A provider switch offers that provider's models and picks its first when the current model is not among them. */
function onProviderChange(panel: PanelModel, requestId: string, draft: Draft, providerId: string): void {
  draft.providerId = providerId;
  const view = panel.requests.get(requestId);
  const card = panel.cardOf(requestId);
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

/**
 * Notes the fields typed into and copies them into their drafts once typing pauses (or when settled
 * early), so a keystroke itself does no work on the text.
 */
function trackTyping(panel: PanelModel): TypingSettler & { noteInput(event: Event): void } {
  /** Fields typed into since the draft last took their text. */
  const typing = new Set<Field>();
  let settleTimer: ReturnType<typeof setTimeout> | undefined;

  function settle(): void {
    if (settleTimer !== undefined) clearTimeout(settleTimer);
    settleTimer = undefined;
    const changed = new Set<string>();
    for (const field of typing) {
      const requestId = readField(panel, field);
      if (requestId) changed.add(requestId);
    }
    typing.clear();
    for (const requestId of changed) panel.draftChanged(requestId);
  }

  /**
   * A keystroke in a text field is only noted; a select is read at once. Leaving a text field does not
   * settle either: its change event lands between a button's mousedown and mouseup, and a refresh
   * then could move the button away from under the pointer.
   */
  function noteInput(event: Event): void {
    const target = asElement(event.target);
    if (!target || !isField(target) || !requestIdOf(target)) return;
    const isSelect = target.tagName.toLowerCase() === 'select';
    if (!isSelect && event.type === 'change') return;
    typing.add(target);
    if (settleTimer !== undefined) clearTimeout(settleTimer);
    if (isSelect) settle();
    else settleTimer = setTimeout(settle, EDIT_SETTLE_MS);
  }

  return { settle, noteInput };
}

/** An action on a card the panel could not read: only Reject and "open the full request" apply. */
function runUnreadableAction(panel: PanelModel, requestId: string, action: string): void {
  // Nothing of it could be shown, so there is nothing to approve: Reject needs no second step.
  if (action === 'reject') panel.send({ type: 'reject', requestId });
  else if (action === 'open-full-request') panel.send({ type: 'open-full-request', requestId });
}

/** One action on a card (a click or a key), once the drafts hold what was typed. */
function runAction(panel: PanelModel, requestId: string, action: string): void {
  if (panel.isUnreadable(requestId)) {
    runUnreadableAction(panel, requestId, action);
    return;
  }
  const view = panel.requests.get(requestId);
  if (!view || view.state === 'closed') return;
  const draft = panel.draft(requestId) ?? {};
  const edits = () => computeEdits(view, draft);
  const focus = (selector: string) => focusIn(panel, requestId, selector);
  switch (action) {
    case 'approve':
    case 'always-allow':
    case 'allow-session': {
      if (view.step !== 'approval') return;
      const result = edits();
      if (result.errors.length) return;
      const base = { requestId, ...(result.edits ? { edits: result.edits } : {}) };
      panel.send({ type: 'approve', ...base, ...(action === 'approve' ? {} : { remember: action === 'always-allow' ? 'always' : 'session' }) });
      return;
    }
    case 'reject':
      if (view.step !== 'approval') return;
      if (!panel.rejecting.has(requestId)) {
        panel.rejecting.add(requestId);
        panel.redrawActions(requestId);
      }
      focus('[data-action="reject-reason"]');
      return;
    case 'confirm-reject': {
      if (view.step !== 'approval') return;
      const reason = draft.rejectReason?.trim();
      panel.send({ type: 'reject', requestId, ...(reason ? { reason } : {}) });
      return;
    }
    case 'cancel-reject':
      // Focus leaves the field first: its last change event lands before the reason is dropped.
      focus('[data-action="reject"]');
      panel.rejecting.delete(requestId);
      delete draft.rejectReason;
      panel.redrawActions(requestId);
      panel.draftChanged(requestId);
      focus('[data-action="reject"]');
      return;
    case 'toggle-diff':
      if (panel.diffOpen.has(requestId)) panel.diffOpen.delete(requestId);
      else panel.diffOpen.add(requestId);
      panel.redrawActions(requestId);
      focus('[data-action="toggle-diff"]');
      return;
    case 'open-full-request':
      panel.send({ type: 'open-full-request', requestId });
      return;
    case 'show-diff': {
      const result = edits();
      if (!result.errors.length) panel.send({ type: 'show-diff', requestId, edits: result.edits ?? {} });
      return;
    }
    default:
      runResponseAction(panel, view, draft, action);
  }
}

/** The actions after the model answered: review of its response, or the user's own reply. */
function runResponseAction(panel: PanelModel, view: RequestView, draft: Draft, action: string): void {
  const requestId = view.requestId;
  switch (action) {
    case 'approve-response': {
      if (view.step !== 'review') return;
      const edited = draft.response !== undefined && draft.response !== view.responseText;
      panel.send({ type: 'approve-response', requestId, ...(edited ? { text: draft.response } : {}) });
      return;
    }
    case 'reject-response':
      if (view.step === 'review') panel.send({ type: 'reject-response', requestId });
      return;
    case 'regenerate':
      if (view.step === 'review') {
        delete draft.response;
        panel.send({ type: 'regenerate', requestId });
      }
      return;
    case 'send-manual-reply':
      if (view.step === 'manual-reply') panel.send({ type: 'manual-reply', requestId, text: draft.manualReply ?? '' });
      return;
  }
}

const inRejectForm = (el: Element | null | undefined): boolean => !!el?.closest('[data-role="reject-form"]');

/**
 * The request Ctrl/Cmd+Enter acts on: only the one whose card has focus. Never another: when the
 * focused card closed (the server cancelled it) or focus is outside every card, the key does nothing,
 * so it cannot approve a request the user never looked at.
 */
function currentRequest(panel: PanelModel): RequestView | undefined {
  const focused = document.activeElement ? requestIdOf(document.activeElement) : undefined;
  const candidate = focused ? panel.requests.get(focused) : undefined;
  return candidate && candidate.state !== 'closed' ? candidate : undefined;
}

/** The panel's keys: Ctrl/Cmd+Enter on the focused card, and Enter/Escape in the reject form. */
function listenToKeys(app: HTMLElement, panel: PanelModel, run: (requestId: string, action: string) => void): void {
  // Capture phase: a focused button must not also treat Ctrl+Enter as its own Enter press.
  document.addEventListener(
    'keydown',
    (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const view = currentRequest(panel);
      if (!view) return;
      // In the reject form Ctrl+Enter sends what the form is for, never an approval.
      const action = inRejectForm(document.activeElement) ? 'confirm-reject' : view.step === 'approval' ? 'approve' : view.step === 'review' ? 'approve-response' : view.step === 'manual-reply' ? 'send-manual-reply' : undefined;
      if (!action) return;
      event.preventDefault();
      event.stopPropagation();
      run(view.requestId, action);
    },
    true,
  );

  // The reject form's keys: Enter in the reason field rejects, Escape anywhere in the form cancels.
  app.addEventListener('keydown', (event: KeyboardEvent) => {
    const target = asElement(event.target);
    if (!inRejectForm(target) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const requestId = target && requestIdOf(target);
    if (!requestId) return;
    const action = event.key === 'Escape' ? 'cancel-reject' : event.key === 'Enter' && target.getAttribute('data-action') === 'reject-reason' ? 'confirm-reject' : undefined;
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    run(requestId, action);
  });
}

export function listenToUser(app: HTMLElement, panel: PanelModel): TypingSettler {
  const typing = trackTyping(panel);
  // Every action first lets the drafts take what was typed.
  const run = (requestId: string, action: string) => {
    typing.settle();
    runAction(panel, requestId, action);
  };

  app.addEventListener('click', (event) => {
    const target = asElement(event.target)?.closest<HTMLElement>('[data-action]');
    if (!target || target.hasAttribute('disabled') || FIELD_TAGS.has(target.tagName.toLowerCase()) || isTextSource(target)) return;
    const requestId = requestIdOf(target);
    if (requestId) run(requestId, target.dataset.action ?? '');
  });
  app.addEventListener('input', typing.noteInput);
  app.addEventListener('change', typing.noteInput);
  listenToKeys(app, panel, run);

  // A panel hidden mid-typing keeps what was typed (the webview state is saved on settle).
  document.addEventListener('visibilitychange', typing.settle);
  return { settle: typing.settle };
}
