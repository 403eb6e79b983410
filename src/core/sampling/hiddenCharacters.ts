/**
 * Finds characters a reviewer cannot see but a model reads: bidi overrides (text that displays in a
 * different order than it is read, "Trojan Source"), zero-width and other invisible characters, and
 * Unicode tag characters (used to smuggle ASCII instructions invisibly).
 */
import { contentBlocks } from './validate';
import type { SamplingParams } from './types';

const NAMED: ReadonlyMap<number, string> = new Map([
  [0x00ad, 'SOFT HYPHEN'],
  [0x034f, 'COMBINING GRAPHEME JOINER'],
  [0x061c, 'ARABIC LETTER MARK'],
  [0x115f, 'HANGUL CHOSEONG FILLER'],
  [0x1160, 'HANGUL JUNGSEONG FILLER'],
  [0x180e, 'MONGOLIAN VOWEL SEPARATOR'],
  [0x200b, 'ZERO WIDTH SPACE'],
  [0x200c, 'ZERO WIDTH NON-JOINER'],
  [0x200d, 'ZERO WIDTH JOINER'],
  [0x200e, 'LEFT-TO-RIGHT MARK'],
  [0x200f, 'RIGHT-TO-LEFT MARK'],
  [0x202a, 'LEFT-TO-RIGHT EMBEDDING'],
  [0x202b, 'RIGHT-TO-LEFT EMBEDDING'],
  [0x202c, 'POP DIRECTIONAL FORMATTING'],
  [0x202d, 'LEFT-TO-RIGHT OVERRIDE'],
  [0x202e, 'RIGHT-TO-LEFT OVERRIDE'],
  [0x2060, 'WORD JOINER'],
  [0x2061, 'FUNCTION APPLICATION'],
  [0x2062, 'INVISIBLE TIMES'],
  [0x2063, 'INVISIBLE SEPARATOR'],
  [0x2064, 'INVISIBLE PLUS'],
  [0x2066, 'LEFT-TO-RIGHT ISOLATE'],
  [0x2067, 'RIGHT-TO-LEFT ISOLATE'],
  [0x2068, 'FIRST STRONG ISOLATE'],
  [0x2069, 'POP DIRECTIONAL ISOLATE'],
  [0x3164, 'HANGUL FILLER'],
  [0xfeff, 'ZERO WIDTH NO-BREAK SPACE'],
  [0xffa0, 'HALFWIDTH HANGUL FILLER'],
]);

const BIDI = new Set([0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]);

function nameOf(codePoint: number): string | undefined {
  const named = NAMED.get(codePoint);
  if (named) return named;
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) return 'TAG CHARACTER';
  if (codePoint >= 0xe0100 && codePoint <= 0xe01ef) return 'VARIATION SELECTOR SUPPLEMENT';
  return undefined;
}

export interface HiddenCharacter {
  readonly codePoint: number;
  /** Index in UTF-16 code units. */
  readonly index: number;
  readonly name: string;
  readonly bidi: boolean;
}

/** Every hidden character in `text`, at most `limit` of them (bounded: texts can be megabytes). */
export function findHiddenCharacters(text: string, limit = 1000): HiddenCharacter[] {
  const found: HiddenCharacter[] = [];
  for (let i = 0; i < text.length && found.length < limit; i++) {
    const codePoint = text.codePointAt(i) ?? 0;
    const name = nameOf(codePoint);
    if (name) found.push({ codePoint, index: i, name, bidi: BIDI.has(codePoint) });
    if (codePoint > 0xffff) i++;
  }
  return found;
}

export function formatCodePoint(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** One readable warning for one field, or undefined when the text is clean. */
export function describeHiddenCharacters(field: string, text: string): string | undefined {
  const found = findHiddenCharacters(text);
  if (found.length === 0) return undefined;
  const distinct = [...new Map(found.map((c) => [c.codePoint, c])).values()];
  const shown = distinct.slice(0, 5).map((c) => `${formatCodePoint(c.codePoint)} ${c.name}`);
  const more = distinct.length > 5 ? `, and ${distinct.length - 5} more kinds` : '';
  const kind = found.some((c) => c.bidi) ? 'hidden or bidi-override characters' : 'hidden characters';
  const count = found.length >= 1000 ? 'at least 1000' : String(found.length);
  return `${field} contains ${count} ${kind}: ${shown.join(', ')}${more}`;
}

const MAX_WARNINGS = 20;

/** Warnings for every text a model will read: system prompt, messages, tool results and tool descriptions. */
export function hiddenCharacterWarnings(params: SamplingParams): string[] {
  const warnings: string[] = [];
  const check = (field: string, text: string | undefined): void => {
    if (text === undefined || warnings.length >= MAX_WARNINGS) return;
    const warning = describeHiddenCharacters(field, text);
    if (warning) warnings.push(warning);
  };
  check('System prompt', params.systemPrompt);
  params.messages.forEach((message, m) => {
    contentBlocks(message).forEach((block, b) => {
      const where = `Message ${m + 1} (${message.role})${Array.isArray(message.content) ? `, block ${b + 1}` : ''}`;
      if (block.type === 'text') check(where, block.text);
      else if (block.type === 'tool_use') check(`${where} tool_use input`, JSON.stringify(block.input));
      else if (block.type === 'tool_result') {
        for (const inner of block.content) if (inner.type === 'text') check(`${where} tool_result`, inner.text);
      }
    });
  });
  for (const tool of params.tools ?? []) {
    check(`Tool "${tool.name}" description`, tool.description);
    check(`Tool name "${tool.name}"`, tool.name);
  }
  return warnings;
}
