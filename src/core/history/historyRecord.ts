/**
 * One record of the sampling history and how it becomes a line of the file: what is cut (media,
 * long texts, a record too large as a whole), and which lines a compaction keeps.
 */
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProviderChoice, ResponseContent, TokenUsage } from '../providers/types';
import type { SamplingRoute } from '../requestOrigin';
import { redactSecrets } from '../secrets';

type SamplingParams = CreateMessageRequest['params'];

export type HistoryOutcome = 'answered' | 'rejected' | 'cancelled' | 'failed';

/**
 * How the request was let through, or where it stopped: invalid params, refused by policy, still
 * pending a human when it ended, approved or rejected by the user, or answered without asking.
 */
export type HistoryDecision = 'auto' | 'session' | 'approved' | 'rejected' | 'refused' | 'invalid' | 'pending';

export interface HistoryRecord {
  readonly version: 1;
  readonly id: string;
  readonly serverName: string;
  readonly serverSource: string;
  readonly route: SamplingRoute;
  /** The MCP revision of the connection the request came over. */
  readonly protocolVersion?: string;
  /** The tool call the request provably belongs to (see RequestOrigin). */
  readonly toolCall?: { readonly name: string; readonly caller?: string };
  /** Not proven: the one tool call running when it arrived. */
  readonly runningToolCall?: { readonly name: string; readonly caller?: string };
  /** The caller of the prompt or resource request it belongs to, or of all running calls. */
  readonly caller?: string;
  readonly receivedAt: number;
  readonly finishedAt: number;
  readonly latencyMs: number;
  readonly outcome: HistoryOutcome;
  readonly decision: HistoryDecision;
  /** The request as the server sent it (undefined when it was not even valid). */
  readonly request?: SamplingParams;
  /** The request as sent to the model, when the user edited it. */
  readonly editedRequest?: SamplingParams;
  readonly choice?: ProviderChoice;
  readonly model?: string;
  readonly usage?: TokenUsage;
  readonly result?: { readonly content: ResponseContent; readonly stopReason?: string; readonly edited: boolean; readonly regenerations: number };
  readonly error?: { readonly code?: number; readonly message: string };
}

export interface HistorySink {
  append(record: HistoryRecord): Promise<void>;
}

/** Longest text kept per string field, and longest line written: a 20 MB prompt must not become 20 MB of history. */
export const MAX_HISTORY_STRING = 64 * 1024;
export const MAX_HISTORY_LINE = 1024 * 1024;
/** The file's byte bound: far below what one string can hold, so scanning and compacting always work. */
export const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/**
 * Cuts what the history does not keep: base64 media become a note of their size, very long texts are
 * shortened, after their secrets are redacted (a secret cut in half would no longer be recognised).
 */
function historyReplacer(secrets: readonly string[]): (key: string, v: unknown) => unknown {
  return (key, v) => {
    if (key === 'data' && typeof v === 'string' && v.length > 64) return `[${v.length} base64 characters omitted]`;
    if (typeof v !== 'string' || v.length <= MAX_HISTORY_STRING) return v;
    const text = redactSecrets(v, secrets);
    return text.length > MAX_HISTORY_STRING ? `${text.slice(0, MAX_HISTORY_STRING)}… [${text.length - MAX_HISTORY_STRING} characters omitted]` : text;
  };
}

/**
 * One record as its JSON line (without the newline), in one pass: media and long texts cut while
 * serializing. When even the cut record is too long (thousands of messages), keep what it was about
 * and drop the bodies.
 */
export function serializeRecord(record: HistoryRecord, secrets: readonly string[] = []): string {
  // The common record has nothing to cut: without a replacer JSON.stringify is several times faster,
  // and the result is the same when no string can be over the cut and no `data` string is present.
  const plain = JSON.stringify(record);
  if (plain.length <= MAX_HISTORY_STRING && !plain.includes('"data":"')) return plain;
  const replacer = historyReplacer(secrets);
  const json = JSON.stringify(record, replacer);
  if (json.length <= MAX_HISTORY_LINE) return json;
  const { request: _request, editedRequest: _edited, result, ...rest } = record;
  return JSON.stringify(
    {
      ...rest,
      ...(result ? { result: { ...result, content: { type: 'text', text: '[answer omitted: the record was too large]' } } } : {}),
      error: rest.error ?? { message: 'The request was too large to keep in the history' },
    },
    replacer,
  );
}

export interface KeptLines {
  /** The kept lines as they are in the file, each ending with a newline. */
  readonly bytes: Buffer;
  readonly lines: number;
}

const NEWLINE = 0x0a;

/**
 * The newest non-empty lines of a history file, at most `max` of them and `keepBytes` bytes (always
 * the newest one), found by scanning its bytes backwards for newlines: no decoding, splitting or
 * joining (a newline byte never occurs inside a UTF-8 sequence). A torn last line gets its newline.
 */
export function keepNewest(file: Buffer, max: number, keepBytes: number): KeptLines {
  const torn = file.length > 0 && file[file.length - 1] !== NEWLINE;
  // Lines are walked newest first; `end` is where the current one ends (after its newline, or at the
  // end of the file for a torn last line), `start` the first byte of the oldest line kept so far.
  let end = file.length;
  let start = end;
  let lines = 0;
  let bytes = 0;
  while (end > 0 && lines < max) {
    const lastContentByte = end === file.length && torn ? end - 1 : end - 2;
    const lineStart = lastContentByte < 0 ? 0 : file.lastIndexOf(NEWLINE, lastContentByte) + 1;
    const size = end - lineStart + (end === file.length && torn ? 1 : 0);
    if (size > 1) {
      if (bytes + size > keepBytes && lines > 0) break;
      lines++;
      bytes += size;
      start = lineStart;
    }
    end = lineStart;
  }
  const kept = file.subarray(start);
  return { bytes: torn ? Buffer.concat([kept, Buffer.from('\n')]) : kept, lines };
}
