/** The panel's small form controls: buttons, text areas, field labels, the hidden-character note. */
import { h, text } from './dom';
import { countHiddenCharacters } from './hiddenCharacters';

let uid = 0;
/** A fresh element id, for labels and lists within the page. */
export const nextId = (prefix: string): string => `${prefix}-${++uid}`;

export function button(action: string, label: string, ariaLabel: string, opts: { secondary?: boolean; title?: string; disabled?: boolean } = {}): HTMLElement {
  const el = h('vscode-button', {
    'data-action': action,
    'aria-label': ariaLabel,
    title: opts.title ?? ariaLabel,
    secondary: opts.secondary,
    disabled: opts.disabled,
  });
  el.textContent = label;
  return el;
}

function rows(value: string, max = 16): number {
  let lines = 1;
  for (let i = 0; i < value.length && lines < max; i++) if (value.charCodeAt(i) === 10) lines++;
  return Math.max(3, lines);
}

export function textarea(action: string, label: string, value: string, field?: string): HTMLTextAreaElement {
  const el = h('textarea', { 'data-action': action, 'aria-label': label, rows: rows(value), spellcheck: 'false', 'data-field': field });
  el.value = value;
  return el;
}

export function fieldLabel(forId: string, label: string): HTMLElement {
  return h('label', { for: forId }, label, text('span', ' (edited)', { class: 'edited-mark' }));
}

export function hiddenNote(value: string): HTMLElement | false {
  const n = countHiddenCharacters(value);
  return n > 0 && text('p', `⚠ Contains ${n} hidden or direction-changing character${n === 1 ? '' : 's'} (shown as ⟦U+…⟧ in the preview).`, { class: 'warning-inline' });
}
