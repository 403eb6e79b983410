/** The answer part of a card: the streamed answer, the manual reply, or the answer under review. */
import { t } from './strings';
import type { RequestView } from '../shared/protocol';
import { renderBlock, renderText } from './content';
import { button, fieldLabel, SEND_KEYS, hiddenNote, nextId, sizedTextarea } from './controls';
import { h, text } from './dom';
import type { Draft } from './drafts';
import { revealHiddenCharacters } from './hiddenCharacters';

export function responseSection(view: RequestView, draft: Draft): HTMLElement | false {
  if (view.state === 'pending' || (view.state === 'closed' && !view.responseText && !view.response)) return false;
  // Not a live region: streamed pieces are not read out one by one; the panel announces the end (announcer.ts).
  const area = h('div', { class: 'response', role: 'group', 'data-role': 'response', 'aria-label': t('answer'), 'aria-busy': view.state === 'streaming' && !view.response });
  const nonText = view.response?.content.filter((b) => b.type !== 'text') ?? [];
  const meta = view.response
    ? text(
        'p',
        [
          t('answerModelLine', view.response.model, view.response.stopReason),
          view.response.inputTokens !== undefined && t('answerTokensIn', view.response.inputTokens),
          view.response.outputTokens !== undefined && t('answerTokensOut', view.response.outputTokens),
        ]
          .filter(Boolean)
          .join(' · '),
        { class: 'muted' },
      )
    : false;
  if (view.step === 'manual-reply' && view.state !== 'closed') {
    const id = nextId('manual');
    const label = t('manualReplyLabel');
    const { area: reply, notice } = sizedTextarea('manual-reply', label, draft.manualReply ?? '');
    reply.id = id;
    area.append(
      text('h3', t('manualReply')),
      h('label', { for: id }, label),
      reply,
      notice,
      h('div', { class: 'actions' }, button('send-manual-reply', t('sendReply'), undefined, { keys: SEND_KEYS, title: t('sendReplyTitle') })),
    );
    return area;
  }
  if (view.step === 'review' && view.state !== 'closed') {
    const hasText = view.response === undefined || view.response.content.some((b) => b.type === 'text');
    area.append(text('h3', t('stateReview')));
    if (meta) area.append(meta);
    if (hasText) {
      const id = nextId('response');
      const { area: edit, notice } = sizedTextarea('edit-response', t('answerEditable'), draft.response ?? view.responseText, 'response');
      edit.id = id;
      area.append(h('div', { class: 'field', 'data-field-wrap': 'response' }, fieldLabel(id, t('answer')), edit, notice, hiddenNote(draft.response ?? view.responseText)));
    }
    area.append(
      ...nonText.map(renderBlock),
      h(
        'div',
        { class: 'actions' },
        button('approve-response', t('approveResponse'), t('approveResponseContext'), { keys: SEND_KEYS, title: t('approveResponseTitle') }),
        button('reject-response', t('rejectResponse'), t('rejectResponseContext'), { secondary: true }),
        button('regenerate', t('regenerate'), t('regenerateContext'), { secondary: true }),
      ),
    );
    return area;
  }
  area.append(text('h3', t('answer')));
  if (meta) area.append(meta);
  if (view.state === 'closed' || view.response) {
    if (view.responseText) area.append(renderText(view.responseText));
    area.append(...nonText.map(renderBlock));
  } else {
    area.append(text('pre', view.responseText, { class: 'response-text', 'data-role': 'response-text' }));
    if (!view.responseText) area.append(text('p', t('waitingForModel'), { class: 'muted', 'data-role': 'waiting' }));
  }
  return area;
}

/** The first half of a surrogate pair that ended a streamed piece, by answer element. */
const heldHalves = new WeakMap<HTMLElement, string>();

/**
 * Appends a streamed piece of the answer with its hidden characters revealed, as the rest of the card
 * shows them. A surrogate pair split between two pieces is revealed when its second half arrives.
 */
export function appendStreamedText(target: HTMLElement, piece: string): void {
  let chunk = (heldHalves.get(target) ?? '') + piece;
  const last = chunk.charCodeAt(chunk.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) {
    heldHalves.set(target, chunk.slice(-1));
    chunk = chunk.slice(0, -1);
  } else heldHalves.delete(target);
  if (chunk) target.append(revealHiddenCharacters(chunk));
}
