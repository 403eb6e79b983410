/** The panel's keyboard shortcuts, listed in a collapsed "Keyboard shortcuts" section of its header. */
import { h, text } from './dom';

export const KEYBOARD_SHORTCUTS: readonly (readonly [keys: string, what: string])[] = [
  ['Tab / Shift+Tab', 'Move to the next or previous control'],
  ['Enter or Space', 'Press the focused button'],
  ['Ctrl+Enter (Cmd+Enter on macOS)', 'On the focused request: approve it, approve the reviewed answer, or send your reply'],
  ['Enter in the reason field', 'Reject the request with that reason'],
  ['Escape in the reject form', 'Cancel rejecting: the request keeps waiting'],
];

export function keyboardHelp(): HTMLElement {
  return h(
    'details',
    { class: 'help', 'data-role': 'keyboard-help' },
    text('summary', 'Keyboard shortcuts'),
    h('dl', { class: 'params-list' }, ...KEYBOARD_SHORTCUTS.flatMap(([keys, what]) => [text('dt', keys), text('dd', what)])),
    text('p', 'Ctrl+Enter acts only on the request whose card holds the focus, never on another one.', { class: 'muted' }),
  );
}
