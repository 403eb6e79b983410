/** The panel's small form controls: buttons, text areas, field labels, the hidden-character note. */
import { t } from './strings';
import { h, text } from './dom';
import { countHiddenCharacters } from './hiddenCharacters';

let uid = 0;
/** A fresh element id, for labels and lists within the page. */
export const nextId = (prefix: string): string => `${prefix}-${++uid}`;

/** The keys that send a card's current step (approve, approve the response, send the reply). */
export const SEND_KEYS = 'Control+Enter Meta+Enter';

export interface ButtonOptions {
  readonly secondary?: boolean;
  /** The tooltip; the accessible name when absent. */
  readonly title?: string;
  readonly disabled?: boolean;
  /** `aria-keyshortcuts`, e.g. "Control+Enter Meta+Enter". */
  readonly keys?: string;
}

/**
 * A button whose accessible name starts with its visible text (voice control users say what they
 * see), followed by `context` (which request, what happens), e.g. "Approve, request from alpha".
 */
export function button(action: string, label: string, context: string | undefined, opts: ButtonOptions = {}): HTMLElement {
  const name = context ? `${label}, ${context}` : label;
  const el = h('vscode-button', {
    'data-action': action,
    'aria-label': name,
    'aria-keyshortcuts': opts.keys,
    title: opts.title ?? name,
    secondary: opts.secondary,
    disabled: opts.disabled,
  });
  el.textContent = label;
  return el;
}

/** A text area shows at most this many lines; longer text scrolls inside it and says so below it. */
export const MAX_TEXTAREA_ROWS = 30;
const MIN_TEXTAREA_ROWS = 3;
/** Above this many characters a text area keeps its rows instead of growing with wrapped lines. */
const GROW_MAX_CHARS = 20_000;

export function lineCount(value: string): number {
  let lines = 1;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) lines++;
  return lines;
}

function textarea(action: string, label: string, value: string, field?: string): HTMLTextAreaElement {
  const el = h('textarea', { 'data-action': action, 'aria-label': label, spellcheck: 'false', 'data-field': field });
  el.value = value;
  return el;
}

/**
 * Lines of `area` below what it shows: measured when `measure` and laid out (wrapped lines count),
 * else counted.
 */
function linesBelow(area: HTMLTextAreaElement, lines: number, rows: number, measure: boolean): number {
  const laidOut = measure && typeof area.scrollHeight === 'number' && area.clientHeight > 0;
  if (!laidOut) return lines - rows;
  const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 16;
  return Math.floor((area.scrollHeight - area.scrollTop - area.clientHeight) / lineHeight);
}

/** "N more lines below" for a field's notice; empty when nothing is below. */
export const linesBelowText = (below: number): string => (below <= 0 ? '' : below === 1 ? t('moreLinesOne') : t('moreLinesMany', below.toLocaleString()));

function showLinesBelow(area: HTMLTextAreaElement, notice: HTMLElement, lines: number, rows: number, measure: boolean): void {
  const below = linesBelow(area, lines, rows, measure);
  // A long text in few long lines wraps past the rows without a countable line below.
  const wrapsPast = below <= 0 && !measure && area.classList.contains('fixed-rows');
  notice.hidden = below <= 0 && !wrapsPast;
  notice.textContent = wrapsPast ? t('moreTextBelow') : linesBelowText(below);
}

/** Sets the rows of `area` to its text's lines (bounded) and says how many lines lie beyond them. */
export function refreshTextareaSize(area: HTMLTextAreaElement, notice: HTMLElement | null | undefined): void {
  const lines = lineCount(area.value);
  const rows = Math.min(MAX_TEXTAREA_ROWS, Math.max(MIN_TEXTAREA_ROWS, lines));
  const long = area.value.length > GROW_MAX_CHARS;
  area.setAttribute('rows', String(rows));
  area.dataset.lines = String(lines);
  // Growing with the text (field-sizing) lays out the whole text on every keystroke: only for short texts.
  area.classList.toggle('fixed-rows', lines > MAX_TEXTAREA_ROWS || long);
  if (!notice) return;
  showLinesBelow(area, notice, lines, rows, false);
  // Measured with the next frame's layout, never forced here: reading the size lays out the whole
  // document, a megabyte text area included (half a second for 2 MB, in the message handler).
  if (!long && typeof requestAnimationFrame === 'function') requestAnimationFrame(() => showLinesBelow(area, notice, lines, rows, true));
}

/**
 * A text area as tall as its text up to MAX_TEXTAREA_ROWS lines (CSS `field-sizing: content` grows it
 * with wrapped lines too), with a "N more lines below" notice under it when the text is longer: text
 * past the visible rows is never out of sight without a word. The notice follows scrolling; the
 * panel refreshes it after edits (refreshTextareaSize).
 */
export function sizedTextarea(action: string, label: string, value: string, field?: string): { area: HTMLTextAreaElement; notice: HTMLElement } {
  const area = textarea(action, label, value, field);
  const notice = h('p', { class: 'more-lines', 'data-role': 'more-lines', id: nextId('more-lines') });
  area.setAttribute('aria-describedby', notice.id);
  refreshTextareaSize(area, notice);
  // Scrolling moves what is below; the line count stays the one the last edit left.
  area.addEventListener('scroll', () => showLinesBelow(area, notice, Number(area.dataset.lines), Number(area.getAttribute('rows')), true));
  return { area, notice };
}

export function fieldLabel(forId: string, label: string): HTMLElement {
  return h('label', { for: forId }, label, text('span', t('edited'), { class: 'edited-mark' }));
}

export function hiddenNote(value: string): HTMLElement | false {
  const n = countHiddenCharacters(value);
  return n > 0 && text('p', n === 1 ? t('hiddenCharsOne') : t('hiddenCharsMany', n), { class: 'warning-inline' });
}
