/**
 * The panel's words in the editor's display language: the table the host sends with the `state`
 * message (checked by readPanelStrings), English until it arrives.
 */
import { formatString, PANEL_STRINGS, readPanelStrings, type PanelStringKey, type PanelStrings } from '../shared/panelStrings';

let table: PanelStrings = PANEL_STRINGS;

export function useStrings(strings: PanelStrings | undefined): void {
  table = strings ?? PANEL_STRINGS;
}

/** The text for `key`, its `{0}`… filled with `args`. */
export const t = (key: PanelStringKey, ...args: readonly (string | number)[]): string => formatString(table[key], ...args);

export { readPanelStrings };
