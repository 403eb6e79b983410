/**
 * Shows on a pending card what the user's draft changes, without re-rendering it (focus and caret
 * stay): edited fields marked, draft errors listed (they disable the approve buttons), and the open
 * "Show changes" diff redrawn from the one request text (src/shared/requestText).
 */
import type { RequestView } from '../shared/protocol';
import { requestAsText } from '../shared/requestText';
import { diffContent } from './approvalActions';
import { text } from './dom';
import { computeEdits, type Draft } from './drafts';
import { lineDiff } from './lineDiff';

const BLOCKED_BY_ERRORS = ['approve', 'allow-session', 'always-allow', 'show-diff'];

export function refreshEditState(card: HTMLElement, view: RequestView, draft: Draft): void {
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
  const changes = card.querySelector<HTMLElement>('[data-role="changes"]');
  if (changes && !changes.hidden) {
    const lines = lineDiff(requestAsText(view), requestAsText(view, result.edits));
    changes.querySelector('[data-role="diff"]')?.replaceChildren(diffContent(lines));
  }
}
