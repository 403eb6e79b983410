/** The panel's keyboard shortcuts, listed in a collapsed "Keyboard shortcuts" section of its header. */
import { t } from './strings';
import { h, text } from './dom';

const KEYBOARD_SHORTCUTS = [
  ['keysTab', 'keysTabWhat'],
  ['keysPress', 'keysPressWhat'],
  ['keysSend', 'keysSendWhat'],
  ['keysReason', 'keysReasonWhat'],
  ['keysEscape', 'keysEscapeWhat'],
] as const;

export function keyboardHelp(): HTMLElement {
  return h(
    'details',
    { class: 'help', 'data-role': 'keyboard-help' },
    text('summary', t('keyboardShortcuts')),
    h('dl', { class: 'params-list' }, ...KEYBOARD_SHORTCUTS.flatMap(([keys, what]) => [text('dt', t(keys)), text('dd', t(what))])),
    text('p', t('keysFocusedOnly'), { class: 'muted' }),
  );
}
