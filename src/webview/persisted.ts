/**
 * What the webview keeps in `vscode.setState` so a hidden-then-shown panel (no retainContextWhenHidden)
 * keeps the user's unsent edits, and a reloaded one knows which requests it showed. Validated on read:
 * a state written by an older version must not break the panel. DOM-free.
 */
import type { Draft } from './drafts';
import { isRecord } from '../shared/isRecord';

export interface ShownRequest {
  readonly requestId: string;
  readonly serverName: string;
}

export interface PersistedState {
  readonly drafts: Record<string, Draft>;
  readonly shown: readonly ShownRequest[];
}

const MAX_SHOWN = 100;
const MAX_DRAFTS = 100;
const DRAFT_KEYS = ['systemPrompt', 'maxTokens', 'temperature', 'providerId', 'model', 'response', 'manualReply', 'rejectReason'] as const;

function readDraft(value: unknown): Draft | undefined {
  if (!isRecord(value)) return undefined;
  const draft: Draft = {};
  for (const key of DRAFT_KEYS) if (typeof value[key] === 'string') draft[key] = value[key];
  if (isRecord(value.messages)) {
    const messages: Record<string, string> = {};
    for (const [k, v] of Object.entries(value.messages)) if (/^\d{1,4}$/.test(k) && typeof v === 'string') messages[k] = v;
    draft.messages = messages;
  }
  return draft;
}

export function readPersistedState(value: unknown): PersistedState {
  const drafts: Record<string, Draft> = {};
  const shown: ShownRequest[] = [];
  if (isRecord(value)) {
    if (isRecord(value.drafts)) {
      for (const [id, d] of Object.entries(value.drafts).slice(0, MAX_DRAFTS)) {
        const draft = readDraft(d);
        if (draft) drafts[id] = draft;
      }
    }
    if (Array.isArray(value.shown)) {
      for (const s of value.shown.slice(0, MAX_SHOWN)) {
        if (isRecord(s) && typeof s.requestId === 'string' && typeof s.serverName === 'string') shown.push({ requestId: s.requestId, serverName: s.serverName });
      }
    }
  }
  return { drafts, shown };
}
