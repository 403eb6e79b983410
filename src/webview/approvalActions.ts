/**
 * The decision part of a pending card: Approve and its variants; Reject, which first asks for an
 * optional reason (the field, "Reject request" and "Cancel" appear only once Reject is chosen); and
 * Show changes, one control for the user's edits: the inline line diff, with the editor's diff view
 * of the same text a click away inside it.
 */
import { t } from './strings';
import { LIMITS, type RequestView } from '../shared/protocol';
import { button, nextId, SEND_KEYS } from './controls';
import { h, text } from './dom';
import type { Draft } from './drafts';

/** What the user opened on a card; kept by the panel across re-renders. */
export interface CardUi {
  readonly diffOpen: boolean;
  readonly rejecting: boolean;
}

function expander(action: string, label: string, context: string, expanded: boolean, controls: string): HTMLElement {
  const el = button(action, label, context, { secondary: true });
  el.setAttribute('aria-expanded', String(expanded));
  el.setAttribute('aria-controls', controls);
  return el;
}

function rejectForm(id: string, view: RequestView, draft: Draft): HTMLElement {
  const server = view.serverName;
  const fieldId = nextId('reject-reason');
  const label = t('rejectReasonLabel');
  const reason = h('input', { id: fieldId, type: 'text', maxlength: LIMITS.reason, 'data-action': 'reject-reason', 'aria-label': label, placeholder: t('rejectReasonPlaceholder') });
  reason.value = draft.rejectReason ?? '';
  return h(
    'div',
    { id, class: 'reject-form', role: 'group', 'aria-label': t('rejectFormLabel', server), 'data-role': 'reject-form' },
    h('label', { for: fieldId }, label),
    reason,
    h(
      'div',
      { class: 'actions' },
      button('confirm-reject', t('confirmReject'), t('confirmRejectContext', server), { keys: 'Enter', title: t('confirmRejectTitle') }),
      button('cancel-reject', t('cancel'), t('cancelRejectContext'), { keys: 'Escape', secondary: true, title: t('cancelRejectTitle') }),
    ),
  );
}

function changes(id: string, open: boolean): HTMLElement {
  return h(
    'div',
    { id, class: 'changes', 'data-role': 'changes', hidden: !open },
    h('div', { class: 'diff', 'data-role': 'diff' }),
    h('div', { class: 'actions' }, button('show-diff', t('openInDiffEditor'), t('openInDiffEditorContext'), { secondary: true })),
  );
}

export function approvalActions(view: RequestView, draft: Draft, ui: CardUi): HTMLElement {
  const server = view.serverName;
  const rejectFormId = nextId('reject-form');
  const changesId = nextId('changes');
  return h(
    'div',
    { class: 'actions-area', 'data-role': 'actions-area' },
    h(
      'div',
      { class: 'actions' },
      button('approve', t('approve'), t('approveContext', server), { keys: SEND_KEYS, title: t('approveTitle') }),
      expander('reject', t('reject'), t('rejectContext', server), ui.rejecting, rejectFormId),
      button('allow-session', t('allowSession'), t('allowSessionContext', server), { secondary: true }),
      button('always-allow', t('alwaysAllow'), t('alwaysAllowContext', server), { secondary: true }),
      expander('toggle-diff', ui.diffOpen ? t('hideChanges') : t('showChanges'), t('changesContext'), ui.diffOpen, changesId),
      button('open-full-request', t('openFullRequest'), t('openFullRequestContext'), { secondary: true }),
    ),
    // Below the buttons: an error appearing never moves a button from under the pointer.
    h('div', { class: 'draft-errors', role: 'alert', 'data-role': 'draft-errors' }),
    ui.rejecting && rejectForm(rejectFormId, view, draft),
    changes(changesId, ui.diffOpen),
  );
}

/** Unchanged lines kept on each side of a change; longer unchanged runs collapse to one line. */
const DIFF_CONTEXT = 3;

/**
 * The inline diff's lines, or a note that nothing changed. Unchanged runs collapse to "… N unchanged
 * lines …" so a one-line edit of a megabyte request draws a few lines, not the whole text.
 */
/** A diff line longer than this shows the part around its change (a megabyte line of minified JSON would fill the card). */
const DIFF_LINE_MAX = 2_000;
/** Characters shown on each side of the change in such a line. */
const DIFF_LINE_CONTEXT = 200;

type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

/** The other side of a changed line: the first line of the opposite kind in the same run of changes. */
function counterpart(lines: readonly DiffLine[], i: number): string | undefined {
  const want = lines[i]!.kind === 'added' ? 'removed' : 'added';
  let start = i;
  while (start > 0 && lines[start - 1]!.kind !== 'same') start--;
  for (let j = start; j < lines.length && lines[j]!.kind !== 'same'; j++) if (lines[j]!.kind === want) return lines[j]!.text;
  return undefined;
}

/** A long line cut to the part around where it differs from its counterpart, saying how much is left out. */
function diffLineText(lines: readonly DiffLine[], i: number): string {
  const line = lines[i]!.text;
  if (line.length <= DIFF_LINE_MAX || lines[i]!.kind === 'same') return line;
  const other = counterpart(lines, i) ?? '';
  let at = 0;
  while (at < line.length && at < other.length && line.charCodeAt(at) === other.charCodeAt(at)) at++;
  const from = Math.max(0, at - DIFF_LINE_CONTEXT);
  const to = Math.min(line.length, at + DIFF_LINE_CONTEXT);
  return `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''} ${t('diffLineCut', (to - from).toLocaleString(), line.length.toLocaleString())}`;
}

export function diffContent(lines: readonly DiffLine[]): HTMLElement {
  if (!lines.some((l) => l.kind !== 'same')) return text('p', t('noChanges'), { class: 'muted' });
  const near = new Uint8Array(lines.length);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let j = Math.max(0, i - DIFF_CONTEXT); j <= Math.min(lines.length - 1, i + DIFF_CONTEXT); j++) near[j] = 1;
  });
  const out = h('pre', { class: 'diff-lines' });
  for (let i = 0; i < lines.length; ) {
    if (near[i]) {
      const l = lines[i]!;
      out.append(text('span', `${l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}${diffLineText(lines, i)}\n`, { class: `diff-${l.kind}` }));
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && !near[i]) i++;
    const run = i - start;
    out.append(text('span', `${t('unchangedLines', run.toLocaleString())}\n`, { class: 'diff-skipped' }));
  }
  return out;
}
