/**
 * The user's unsent edits of one request, kept as the raw field values, and how they turn into the
 * protocol's RequestEdits (only fields that differ from the server's request). DOM-free for tests.
 */
import { PARAMETER_BOUNDS } from '../shared/parameterBounds';
import { editableText, LIMITS, type RequestEdits, type RequestView } from '../shared/protocol';
import { t } from './strings';

export interface Draft {
  systemPrompt?: string;
  /** Edited message texts by message index. */
  messages?: Record<string, string>;
  maxTokens?: string;
  temperature?: string;
  providerId?: string;
  model?: string;
  /** The answer being reviewed, when edited. */
  response?: string;
  /** The manual reply being typed. */
  manualReply?: string;
  /** Why the user rejects, sent with the rejection. */
  rejectReason?: string;
}

export type EditedField = 'system-prompt' | `message-${number}` | 'max-tokens' | 'temperature' | 'provider' | 'model';

export interface DraftResult {
  /** Undefined when nothing differs from the original request. */
  readonly edits?: RequestEdits;
  readonly edited: ReadonlySet<EditedField>;
  /** Problems that block approval, e.g. a max tokens value that is not a whole number. */
  readonly errors: readonly string[];
}

const numberText = (n: number | undefined): string => (n === undefined ? '' : String(n));

export function computeEdits(view: RequestView, draft: Draft): DraftResult {
  const edits: { -readonly [K in keyof RequestEdits]: RequestEdits[K] } = {};
  const edited = new Set<EditedField>();
  const errors: string[] = [];

  if (draft.systemPrompt !== undefined && draft.systemPrompt !== (view.systemPrompt ?? '')) {
    edits.systemPrompt = draft.systemPrompt;
    edited.add('system-prompt');
  }
  const messages: { index: number; text: string }[] = [];
  for (const [key, text] of Object.entries(draft.messages ?? {})) {
    const index = Number(key);
    const message = view.messages[index];
    const original = message ? editableText(message) : undefined;
    if (original !== undefined && text !== original) {
      messages.push({ index, text });
      edited.add(`message-${index}`);
    }
  }
  if (messages.length) edits.messages = messages.sort((x, y) => x.index - y.index);

  if (draft.maxTokens !== undefined && draft.maxTokens.trim() !== numberText(view.maxTokens)) {
    const n = Number(draft.maxTokens.trim());
    if (draft.maxTokens.trim() === '' || !Number.isInteger(n) || n < 1 || n > LIMITS.maxTokens) errors.push(t('invalidMaxTokens'));
    else if (n !== view.maxTokens) {
      edits.maxTokens = n;
      edited.add('max-tokens');
    }
  }
  if (draft.temperature !== undefined && draft.temperature.trim() !== numberText(view.temperature)) {
    const raw = draft.temperature.trim();
    if (raw === '') {
      if (view.temperature !== undefined) {
        edits.temperature = null;
        edited.add('temperature');
      }
    } else {
      const temperature = Number(raw);
      const { min, max } = PARAMETER_BOUNDS.temperature;
      if (!Number.isFinite(temperature) || temperature < min || temperature > max) errors.push(t('invalidTemperature', min, max));
      else if (temperature !== view.temperature) {
        edits.temperature = temperature;
        edited.add('temperature');
      }
    }
  }
  if (draft.providerId !== undefined && draft.providerId !== view.choice.providerId) {
    edits.providerId = draft.providerId;
    edited.add('provider');
  }
  if (draft.model !== undefined && draft.model.trim() !== view.choice.model) {
    if (draft.model.trim() === '') errors.push(t('chooseModel'));
    else {
      edits.model = draft.model.trim();
      edited.add('model');
    }
  }
  return { ...(Object.keys(edits).length ? { edits } : {}), edited, errors };
}

/** Characters per token, the rule of thumb the host's estimate uses (src/core/sampling/tokenEstimate.ts). */
const CHARS_PER_TOKEN = 4;

/** The host's token estimate moved by what the edits add or remove: the texts' length change, no full-text pass. */
export function editedTokenEstimate(view: RequestView, edits: RequestEdits | undefined): number {
  if (!edits) return view.tokenEstimate;
  let chars = 0;
  if (edits.systemPrompt !== undefined) chars += edits.systemPrompt.length - (view.systemPrompt?.length ?? 0);
  for (const { index, text } of edits.messages ?? []) {
    const message = view.messages[index];
    const original = message ? editableText(message) : undefined;
    if (original !== undefined) chars += text.length - original.length;
  }
  return Math.max(0, view.tokenEstimate + Math.round(chars / CHARS_PER_TOKEN));
}
