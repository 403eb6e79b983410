/**
 * The sampling history: one JSON object per line in `<directory>/history.jsonl`, appended as requests
 * end. Bounded by `mcpSampling.history.maxEntries` (rewritten atomically, newest kept, when it grows
 * past the bound plus some slack); reading skips a torn last line left by a crash mid-write.
 * Media data is replaced by its size, long texts are cut (each line stays under 1 MB), and every
 * known secret is redacted before anything is written.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { redactSecrets } from '../secrets';
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ProviderChoice, ResponseContent, TokenUsage } from '../providers/types';
import type { SamplingRoute } from '../requestOrigin';

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
  readonly toolCall?: { readonly name: string; readonly caller?: string };
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

export interface JsonlHistoryOptions {
  readonly directory: string;
  /** Read on every append so a settings change applies at once; 0 keeps none. */
  readonly maxEntries: () => number;
  /** A bound on the file in bytes (default MAX_HISTORY_BYTES); the oldest entries go first. */
  readonly maxBytes?: number;
  /** Strings that must never reach the disk (API keys); each is replaced by "[redacted]" (see core/secrets). */
  readonly secrets?: () => readonly string[];
  readonly logger?: Logger;
  readonly fileName?: string;
}

/** Longest text kept per string field, and longest line written: a 20 MB prompt must not become 20 MB of history. */
export const MAX_HISTORY_STRING = 64 * 1024;
export const MAX_HISTORY_LINE = 1024 * 1024;
/** The file's byte bound: far below what one string can hold, so scanning and compacting always work. */
export const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/** Replaces base64 media with a note of its size (history is for reading, and images are big) and cuts very long texts. */
export function stripMedia<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => {
      if (key === 'data' && typeof v === 'string' && v.length > 64) return `[${v.length} base64 characters omitted]`;
      if (typeof v === 'string' && v.length > MAX_HISTORY_STRING) return `${v.slice(0, MAX_HISTORY_STRING)}… [${v.length - MAX_HISTORY_STRING} characters omitted]`;
      return v;
    }),
  ) as T;
}

/** When even the cut record is too long (thousands of messages), keep what it was about and drop the bodies. */
function boundRecord(record: HistoryRecord): HistoryRecord {
  const stripped = stripMedia(record);
  if (JSON.stringify(stripped).length <= MAX_HISTORY_LINE) return stripped;
  const { request: _request, editedRequest: _edited, result, ...rest } = stripped;
  return {
    ...rest,
    ...(result ? { result: { ...result, content: { type: 'text', text: '[answer omitted: the record was too large]' } } } : {}),
    error: rest.error ?? { message: 'The request was too large to keep in the history' },
  };
}

export class JsonlHistory implements HistorySink {
  private readonly file: string;
  private readonly logger: Logger;
  private queue: Promise<void> = Promise.resolve();
  /** Lines in the file, known after the first append; undefined until then. */
  private lineCount: number | undefined;
  /** Bytes in the file, known with lineCount. */
  private byteCount = 0;
  private endsWithNewline = true;

  constructor(private readonly options: JsonlHistoryOptions) {
    this.file = path.join(options.directory, options.fileName ?? 'history.jsonl');
    this.logger = options.logger ?? silentLogger;
  }

  get path(): string {
    return this.file;
  }

  /** Appends one record; writes are serialized, and a failure is logged, never thrown at the pipeline. */
  append(record: HistoryRecord): Promise<void> {
    const next = this.queue.then(() => this.appendNow(record)).catch((error: unknown) => {
      this.logger.warn(`Could not write the sampling history: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.queue = next;
    return next;
  }

  private serialize(record: HistoryRecord): string {
    return redactSecrets(JSON.stringify(boundRecord(record)), this.options.secrets?.() ?? []);
  }

  private async appendNow(record: HistoryRecord): Promise<void> {
    const max = Math.max(0, Math.floor(this.options.maxEntries()));
    if (max === 0) {
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      return;
    }
    // The directory and the line count are learned once; after that an append is one write.
    if (this.lineCount === undefined) {
      await fs.mkdir(this.options.directory, { recursive: true });
      await this.scan();
    }
    // After a crash mid-write the last line is torn: start on a fresh line so this record stays whole.
    const prefix = this.endsWithNewline ? '' : '\n';
    const line = `${prefix}${this.serialize(record)}\n`;
    try {
      await fs.appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      // The directory went away (storage cleared): make it again, once.
      await fs.mkdir(this.options.directory, { recursive: true });
      await fs.appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    }
    this.endsWithNewline = true;
    this.lineCount = (this.lineCount ?? 0) + 1;
    this.byteCount += Buffer.byteLength(line);
    const slack = Math.max(10, Math.floor(max / 10));
    const maxBytes = this.options.maxBytes ?? MAX_HISTORY_BYTES;
    if (this.lineCount > max + slack || this.byteCount > maxBytes) await this.compact(max, Math.floor(maxBytes * 0.75));
  }

  private async scan(): Promise<void> {
    const text = await this.readText();
    this.lineCount = text === '' ? 0 : text.split('\n').filter((l) => l.trim() !== '').length;
    this.byteCount = Buffer.byteLength(text);
    this.endsWithNewline = text === '' || text.endsWith('\n');
  }

  private async readText(): Promise<string> {
    try {
      return await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return '';
      throw error;
    }
  }

  /** Keeps the newest lines, at most `max` of them and `keepBytes` bytes: written to a temporary file, then renamed over (atomic on one disk). */
  private async compact(max: number, keepBytes: number): Promise<void> {
    const lines = (await this.readText()).split('\n').filter((l) => l.trim() !== '');
    const kept: string[] = [];
    let bytes = 0;
    for (let i = lines.length - 1; i >= 0 && kept.length < max; i--) {
      const size = Buffer.byteLength(lines[i]!) + 1;
      if (bytes + size > keepBytes && kept.length > 0) break;
      kept.push(lines[i]!);
      bytes += size;
    }
    kept.reverse();
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, kept.map((l) => `${l}\n`).join(''), { encoding: 'utf8', mode: 0o600 });
    await fs.rename(temp, this.file);
    this.lineCount = kept.length;
    this.byteCount = bytes;
    this.endsWithNewline = true;
  }

  /** The newest records first-to-last in time, at most maxEntries; unreadable lines (a torn write) are skipped. */
  async read(): Promise<HistoryRecord[]> {
    await this.queue;
    const records: HistoryRecord[] = [];
    for (const line of (await this.readText()).split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = JSON.parse(line) as unknown;
        if (typeof parsed === 'object' && parsed !== null && (parsed as { version?: unknown }).version === 1) records.push(parsed as HistoryRecord);
      } catch {
        this.logger.debug('Skipped an unreadable history line (an interrupted write)');
      }
    }
    const max = Math.max(0, Math.floor(this.options.maxEntries()));
    return max === 0 ? [] : records.slice(-max);
  }

  clear(): Promise<void> {
    const next = this.queue.then(async () => {
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      this.byteCount = 0;
      this.endsWithNewline = true;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
