/**
 * The one table of characters a reviewer cannot see but a model reads, used by core and the host
 * (warnings, as data: `summarizeHiddenCharacters`) and the webview (visible ⟦U+XXXX⟧ markers): bidi
 * embeddings, overrides, isolates and marks ("Trojan Source"), zero-width and other invisible
 * characters, deprecated format characters
 * U+206A–206F, Unicode tag characters and variation selectors (both used to smuggle data invisibly).
 *
 * One exception keeps ordinary emoji readable: a single U+FE0E/U+FE0F right after a visible
 * character is the standard text/emoji presentation selector. Any other variation selector (a run,
 * one at the start, one after another hidden character, or any of U+FE00–FE0D, U+E0100–E01EF) counts.
 * Linear in the text's length; no regular expression runs over server text.
 */

export interface HiddenCharacter {
  readonly codePoint: number;
  /** Index in UTF-16 code units. */
  readonly index: number;
  readonly name: string;
  readonly bidi: boolean;
}

type Range = readonly [first: number, last: number, name: string, bidi?: true];

/** Sorted, non-overlapping. */
export const HIDDEN_CHARACTER_TABLE: readonly Range[] = [
  [0x00ad, 0x00ad, 'SOFT HYPHEN'],
  [0x034f, 0x034f, 'COMBINING GRAPHEME JOINER'],
  [0x061c, 0x061c, 'ARABIC LETTER MARK', true],
  [0x115f, 0x115f, 'HANGUL CHOSEONG FILLER'],
  [0x1160, 0x1160, 'HANGUL JUNGSEONG FILLER'],
  [0x17b4, 0x17b5, 'KHMER INHERENT VOWEL'],
  [0x180b, 0x180d, 'MONGOLIAN FREE VARIATION SELECTOR'],
  [0x180e, 0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x180f, 0x180f, 'MONGOLIAN FREE VARIATION SELECTOR'],
  [0x200b, 0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 0x200e, 'LEFT-TO-RIGHT MARK', true],
  [0x200f, 0x200f, 'RIGHT-TO-LEFT MARK', true],
  [0x202a, 0x202a, 'LEFT-TO-RIGHT EMBEDDING', true],
  [0x202b, 0x202b, 'RIGHT-TO-LEFT EMBEDDING', true],
  [0x202c, 0x202c, 'POP DIRECTIONAL FORMATTING', true],
  [0x202d, 0x202d, 'LEFT-TO-RIGHT OVERRIDE', true],
  [0x202e, 0x202e, 'RIGHT-TO-LEFT OVERRIDE', true],
  [0x2060, 0x2060, 'WORD JOINER'],
  [0x2061, 0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 0x2062, 'INVISIBLE TIMES'],
  [0x2063, 0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 0x2064, 'INVISIBLE PLUS'],
  [0x2065, 0x2065, 'RESERVED INVISIBLE CHARACTER'],
  [0x2066, 0x2066, 'LEFT-TO-RIGHT ISOLATE', true],
  [0x2067, 0x2067, 'RIGHT-TO-LEFT ISOLATE', true],
  [0x2068, 0x2068, 'FIRST STRONG ISOLATE', true],
  [0x2069, 0x2069, 'POP DIRECTIONAL ISOLATE', true],
  [0x206a, 0x206f, 'DEPRECATED FORMAT CHARACTER', true],
  [0x3164, 0x3164, 'HANGUL FILLER'],
  [0xfe00, 0xfe0f, 'VARIATION SELECTOR'],
  [0xfeff, 0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
  [0xffa0, 0xffa0, 'HALFWIDTH HANGUL FILLER'],
  [0xfff0, 0xfff8, 'RESERVED INVISIBLE CHARACTER'],
  [0xfff9, 0xfffb, 'INTERLINEAR ANNOTATION'],
  [0x1bca0, 0x1bca3, 'SHORTHAND FORMAT CONTROL'],
  [0x1d173, 0x1d17a, 'MUSICAL SYMBOL FORMAT CHARACTER'],
  [0xe0000, 0xe007f, 'TAG CHARACTER'],
  // Reserved default-ignorable code points: browsers draw them as nothing.
  [0xe0080, 0xe00ff, 'RESERVED INVISIBLE CHARACTER'],
  [0xe0100, 0xe01ef, 'VARIATION SELECTOR SUPPLEMENT'],
  [0xe01f0, 0xe0fff, 'RESERVED INVISIBLE CHARACTER'],
];

function rangeOf(codePoint: number): Range | undefined {
  // Binary search: the table is sorted.
  let lo = 0;
  let hi = HIDDEN_CHARACTER_TABLE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = HIDDEN_CHARACTER_TABLE[mid]!;
    if (codePoint < range[0]) hi = mid - 1;
    else if (codePoint > range[1]) lo = mid + 1;
    else return range;
  }
  return undefined;
}

/** True for the one allowed use: a single presentation selector right after a visible character. */
function isPresentationSelector(codePoint: number, previousHidden: boolean, previous: number | undefined): boolean {
  return (codePoint === 0xfe0e || codePoint === 0xfe0f) && previous !== undefined && !previousHidden && previous !== 0xfe0e && previous !== 0xfe0f;
}

/** Calls `visit` for each hidden character, in order, until it returns false. */
function scan(text: string, visit: (c: HiddenCharacter) => boolean): void {
  let previous: number | undefined;
  let previousHidden = false;
  for (let i = 0; i < text.length; i++) {
    const codePoint = text.codePointAt(i) ?? 0;
    const range = codePoint < 0xad ? undefined : rangeOf(codePoint);
    const hidden: boolean = range !== undefined && !isPresentationSelector(codePoint, previousHidden, previous);
    if (hidden && range && !visit({ codePoint, index: i, name: range[2], bidi: range[3] === true })) return;
    previous = codePoint;
    previousHidden = hidden;
    if (codePoint > 0xffff) i++;
  }
}

/** Every hidden character in `text`, at most `limit` of them (bounded: texts can be megabytes). */
export function findHiddenCharacters(text: string, limit = 1000): HiddenCharacter[] {
  const found: HiddenCharacter[] = [];
  if (limit <= 0) return found;
  scan(text, (c) => found.push(c) < limit);
  return found;
}

export function countHiddenCharacters(text: string): number {
  let n = 0;
  scan(text, () => ++n > 0);
  return n;
}

export function formatCodePoint(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces each hidden character with a visible `⟦U+XXXX⟧` marker (idempotent: markers are plain text). */
export function revealHiddenCharacters(text: string): string {
  let out = '';
  let from = 0;
  scan(text, (c) => {
    out += text.slice(from, c.index) + `⟦${formatCodePoint(c.codePoint)}⟧`;
    from = c.index + (c.codePoint > 0xffff ? 2 : 1);
    return true;
  });
  return from === 0 ? text : out + text.slice(from);
}

/** What a field's hidden characters are, as data the host words in the display language and core in English. */
export interface HiddenCharacterSummary {
  /** How many were found, up to the scan's bound (`atLeast` when it was reached). */
  readonly count: number;
  readonly atLeast: boolean;
  /** Whether any is a bidi control (embedding, override, isolate, mark). */
  readonly bidi: boolean;
  /** The first kinds found, in order, each once: code point and Unicode name. */
  readonly kinds: readonly { readonly codePoint: number; readonly name: string }[];
  /** How many more distinct kinds were found beyond `kinds`. */
  readonly moreKinds: number;
}

const SCAN_BOUND = 1000;
const KINDS_NAMED = 5;

/** The hidden characters of one field, or undefined when the text is clean. */
export function summarizeHiddenCharacters(text: string): HiddenCharacterSummary | undefined {
  const found = findHiddenCharacters(text, SCAN_BOUND);
  if (found.length === 0) return undefined;
  const distinct = [...new Map(found.map((c) => [c.codePoint, c])).values()];
  return {
    count: found.length,
    atLeast: found.length >= SCAN_BOUND,
    bidi: found.some((c) => c.bidi),
    kinds: distinct.slice(0, KINDS_NAMED).map((c) => ({ codePoint: c.codePoint, name: c.name })),
    moreKinds: Math.max(0, distinct.length - KINDS_NAMED),
  };
}
