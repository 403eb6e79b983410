/** Accessible names for tree items (Servers and Sampling History views). */
import type * as vscode from 'vscode';

/**
 * Gives an item without one an accessible label made of its visible text, label then description,
 * so a screen reader reads what is shown (and voice control finds it by what the user sees).
 */
export function withAccessibleLabel<T extends vscode.TreeItem>(item: T): T {
  if (item.accessibilityInformation) return item;
  const label = typeof item.label === 'string' ? item.label : item.label?.label;
  const description = typeof item.description === 'string' ? item.description : undefined;
  item.accessibilityInformation = { label: [label, description].filter((part) => part !== undefined && part !== '').join(', ') };
  return item;
}
