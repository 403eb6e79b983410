/**
 * The panel's words in the editor's display language: the table the host sends with the `state`
 * message (checked by readPanelStrings), English until it arrives.
 */
import { formatString, PANEL_STRINGS, type PanelStringKey, type PanelStrings } from '../shared/panelStrings';

let table: PanelStrings = PANEL_STRINGS;

export function useStrings(strings: PanelStrings | undefined): void {
  table = strings ?? PANEL_STRINGS;
}

/** The text for `key`, its `{0}`… filled with `args`. */
export const t = (key: PanelStringKey, ...args: readonly (string | number)[]): string => formatString(table[key], ...args);

/**
 * The text for `key` as pieces to append, `{0}`… replaced by `args` (elements such as a `<code>` name
 * stay elements): a translation may move the placeholder, so the sentence is never cut in code.
 */
export function tParts<T>(key: PanelStringKey, ...args: readonly (string | T)[]): (string | T)[] {
  return table[key]
    .split(/(\{\d+\})/)
    .map((piece) => {
      const index = /^\{(\d+)\}$/.exec(piece)?.[1];
      return index === undefined ? piece : (args[Number(index)] ?? piece);
    })
    .filter((piece) => piece !== '');
}
