/**
 * Invisible and direction-changing characters can hide instructions from a reviewer. Read-only views
 * show them as visible markers; editable fields keep the text exact and show a count instead. DOM-free.
 */

// Bidi embeddings/overrides/isolates and marks, zero-width characters, word joiner, BOM, soft hyphen,
// and the Unicode tag block (used to smuggle invisible ASCII).
const HIDDEN = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

export function countHiddenCharacters(text: string): number {
  return text.match(HIDDEN)?.length ?? 0;
}

/** Replaces each hidden character with a visible `⟦U+XXXX⟧` marker. */
export function revealHiddenCharacters(text: string): string {
  return text.replace(HIDDEN, (ch) => `⟦U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟧`);
}
