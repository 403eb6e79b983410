/**
 * The elicitation cards inside the panel: shows them from host messages, validates the form as the
 * user types (the same validator the host runs), and sends the user's answer.
 */
import { validateElicitationContent, type ElicitValue } from '../shared/elicitation';
import type { ElicitationView, UnreadableView, WebviewToHost } from '../shared/protocol';
import { readElicitationForm, renderElicitationCard, showElicitationErrors } from './elicitationCard';
import { renderUnreadableElicitation } from './unreadable';
import { t } from './strings';

export interface ElicitationCards {
  /** The `state` message: the open elicitations (cards already shown keep what the user typed). */
  setAll(views: readonly ElicitationView[], unreadable?: readonly UnreadableView[]): void;
  show(view: ElicitationView): void;
  /** An elicitation the panel could not read: a card that says so and can decline it. */
  unreadable(view: UnreadableView): void;
  closed(id: string, reason: string): void;
  readonly openCount: number;
}

/** Closed cards kept on screen; older ones are dropped. */
const MAX_CLOSED_SHOWN = 10;

/** What the cards' listeners and their API share: the container, the cards' views, and the way out. */
interface CardsState {
  readonly container: HTMLElement;
  readonly views: Map<string, ElicitationView>;
  /** Ids of elicitations shown as "could not be displayed": they can only be declined. */
  readonly unreadable: Set<string>;
  readonly send: (message: WebviewToHost) => void;
}

function cardIn(container: HTMLElement, id: string): HTMLElement | undefined {
  for (const el of container.children) if ((el as HTMLElement).dataset.elicitationId === id) return el as HTMLElement;
  return undefined;
}

/** Reads a form card and shows its problems; the same validator the host runs. */
function checkForm(state: CardsState, id: string): { content: Record<string, ElicitValue>; problems: string[] } | undefined {
  const view = state.views.get(id);
  const card = cardIn(state.container, id);
  if (!view || view.mode !== 'form' || !card) return undefined;
  const read = readElicitationForm(card, view.requestedSchema);
  const problems = [...read.problems, ...validateElicitationContent(view.requestedSchema, read.content, t)];
  showElicitationErrors(card, problems);
  return { content: read.content, problems };
}

/** The cards' buttons become answers to the host. */
function listenToCardClicks(state: CardsState): void {
  const { container, views, unreadable, send } = state;
  container.addEventListener('click', (event) => {
    const target = (event.target as Element | null)?.closest?.('[data-action]') as HTMLElement | null | undefined;
    if (!target || target.hasAttribute('disabled')) return;
    const id = target.closest<HTMLElement>('[data-elicitation-id]')?.dataset.elicitationId;
    if (id && unreadable.has(id) && target.dataset.action === 'elicit-decline') {
      send({ type: 'elicitation-answer', elicitationId: id, action: 'decline' });
      return;
    }
    const view = id ? views.get(id) : undefined;
    if (!id || !view || view.closedReason !== undefined) return;
    switch (target.dataset.action) {
      case 'elicit-accept': {
        const result = checkForm(state, id);
        if (result && result.problems.length === 0) send({ type: 'elicitation-answer', elicitationId: id, action: 'accept', content: result.content });
        return;
      }
      case 'elicit-open-url':
        if (view.mode === 'url') send({ type: 'elicitation-answer', elicitationId: id, action: 'accept' });
        return;
      case 'elicit-decline':
        send({ type: 'elicitation-answer', elicitationId: id, action: 'decline' });
        return;
      case 'elicit-cancel':
        send({ type: 'elicitation-answer', elicitationId: id, action: 'cancel' });
        return;
    }
  });
}

/** Validates a form as the user types, so problems show before Accept. */
function listenToFormInput(state: CardsState): void {
  const onInput = (event: Event) => {
    const target = event.target as HTMLElement | null;
    const id = target?.closest?.('[data-elicitation-id]') ? (target.closest('[data-elicitation-id]') as HTMLElement).dataset.elicitationId : undefined;
    if (id && target?.dataset.field !== undefined) checkForm(state, id);
  };
  state.container.addEventListener('input', onInput);
  state.container.addEventListener('change', onInput);
}

export function startElicitationCards(container: HTMLElement, send: (message: WebviewToHost) => void, changed: () => void): ElicitationCards {
  const views = new Map<string, ElicitationView>();
  const unreadable = new Set<string>();
  let anonymous = 0;
  const cardOf = (id: string): HTMLElement | undefined => cardIn(container, id);

  function render(view: ElicitationView): void {
    const card = renderElicitationCard(view);
    const old = cardOf(view.id);
    if (old) old.replaceWith(card);
    else container.append(card);
  }

  function trimClosed(): void {
    const closed = [...views.values()].filter((v) => v.closedReason !== undefined);
    for (const v of closed.slice(0, Math.max(0, closed.length - MAX_CLOSED_SHOWN))) {
      views.delete(v.id);
      cardOf(v.id)?.remove();
    }
  }

  const state: CardsState = { container, views, unreadable, send };
  listenToCardClicks(state);
  listenToFormInput(state);

  return {
    setAll(list, unreadableList = []) {
      for (const id of unreadable) cardOf(id)?.remove();
      unreadable.clear();
      for (const el of [...container.children]) if ((el as HTMLElement).dataset.unreadable !== undefined) el.remove();
      for (const u of unreadableList) this.unreadable(u);
      const live = new Set(list.map((v) => v.id));
      // Open cards the host no longer knows (e.g. after a reload) are gone.
      for (const [id, v] of views) {
        if (!live.has(id) && v.closedReason === undefined) {
          views.delete(id);
          cardOf(id)?.remove();
        }
      }
      for (const v of list) {
        if (!views.has(v.id)) {
          views.set(v.id, v);
          render(v);
        }
      }
      changed();
    },
    unreadable(view) {
      const id = view.id ?? `unreadable-${++anonymous}`;
      if (view.id !== undefined) {
        unreadable.add(id);
        cardOf(id)?.remove();
      }
      container.append(renderUnreadableElicitation(view));
      changed();
    },
    show(view) {
      if (unreadable.delete(view.id)) cardOf(view.id)?.remove();
      views.set(view.id, view);
      render(view);
      changed();
    },
    closed(id, reason) {
      if (unreadable.delete(id)) {
        cardOf(id)?.remove();
        changed();
      }
      const view = views.get(id);
      if (!view) return;
      const updated = { ...view, closedReason: reason };
      views.set(id, updated);
      // Keep what the user typed visible, read-only, with the reason.
      const card = cardOf(id);
      const form = card ? readElicitationForm(card, view.mode === 'form' ? view.requestedSchema : { type: 'object', properties: {} }).content : {};
      render(updated.mode === 'form' ? { ...updated, defaults: { ...updated.defaults, ...form } } : updated);
      trimClosed();
      changed();
    },
    get openCount() {
      return [...views.values()].filter((v) => v.closedReason === undefined).length + unreadable.size;
    },
  };
}
