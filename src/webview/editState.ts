/**
 * Shows on a card what the user's draft changes, without re-rendering it (focus and caret stay):
 * edited fields marked, draft errors listed (they disable the approve buttons), the derived values
 * (token estimate, over-limit warning, why the model was chosen), the text areas' size and "more
 * lines" notices, and the open "Show changes" diff, redrawn from the one request text
 * (src/shared/requestText). The one refresh for everything derived from edits: the panel runs it
 * once typing pauses (userActions.ts), never per keystroke.
 */
import type { RequestView } from '../shared/protocol';
import { requestAsText } from '../shared/requestText';
import { diffContent } from './approvalActions';
import { refreshTextareaSize } from './controls';
import { text } from './dom';
import { computeEdits, editedTokenEstimate, type Draft } from './drafts';
import { lineDiff } from './lineDiff';
import { t } from './strings';
import { showDerivedValues } from './requestSections';

const BLOCKED_BY_ERRORS = ['approve', 'allow-session', 'always-allow', 'show-diff'];

function refreshTextareas(card: HTMLElement): void {
  for (const area of card.querySelectorAll<HTMLTextAreaElement>('textarea')) {
    const noticeId = area.getAttribute('aria-describedby');
    refreshTextareaSize(area, noticeId ? card.querySelector<HTMLElement>(`[id="${noticeId}"]`) : undefined);
  }
}

export function refreshEditState(card: HTMLElement, view: RequestView, draft: Draft): void {
  refreshTextareas(card);
  if (view.step !== 'approval' || view.state !== 'pending') return;
  const result = computeEdits(view, draft);
  for (const wrap of card.querySelectorAll<HTMLElement>('[data-field-wrap]')) {
    const field = wrap.dataset.fieldWrap ?? '';
    const edited = (result.edited as ReadonlySet<string>).has(field);
    wrap.classList.toggle('edited', edited);
    wrap.querySelector('[data-field]')?.toggleAttribute('data-edited', edited);
  }
  card.querySelector<HTMLElement>('[data-role="draft-errors"]')?.replaceChildren(...result.errors.map((e) => text('p', e)));
  for (const action of BLOCKED_BY_ERRORS) card.querySelector(`[data-action="${action}"]`)?.toggleAttribute('disabled', result.errors.length > 0);
  const model = card.querySelector<HTMLElement>('[data-role="model"]');
  if (model) showDerivedValues(model, view, draft, editedTokenEstimate(view, result.edits));
  const changes = card.querySelector<HTMLElement>('[data-role="changes"]');
  if (changes && !changes.hidden) {
    const lines = lineDiff(requestAsText(view, {}, t), requestAsText(view, result.edits, t));
    changes.querySelector('[data-role="diff"]')?.replaceChildren(diffContent(lines));
  }
}
