/**
 * The sampling history: one JSON object per line in `<directory>/history.jsonl`, appended as requests
 * end. Bounded by `mcpSampling.history.maxEntries` (rewritten atomically, newest kept, when it grows
 * past the bound plus some slack); reading skips a torn last line left by a crash mid-write.
 * Media data is replaced by its size, long texts are cut (each line stays under 1 MB), and every
 * known secret is redacted before anything is written.
 */
import * as fsCallbacks from 'node:fs';
import type { Stats } from 'node:fs';
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
  /** The MCP revision of the connection the request came over. */
  readonly protocolVersion?: string;
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
  /** Told the lines (as written: redacted and cut, without the newline) after each batch reaches the file. */
  readonly onWritten?: (lines: readonly string[]) => void;
}

/** Longest text kept per string field, and longest line written: a 20 MB prompt must not become 20 MB of history. */
export const MAX_HISTORY_STRING = 64 * 1024;
export const MAX_HISTORY_LINE = 1024 * 1024;
/** The file's byte bound: far below what one string can hold, so scanning and compacting always work. */
export const MAX_HISTORY_BYTES = 32 * 1024 * 1024;

/** Cuts what the history does not keep: base64 media become a note of their size, very long texts are shortened. */
function historyReplacer(key: string, v: unknown): unknown {
  if (key === 'data' && typeof v === 'string' && v.length > 64) return `[${v.length} base64 characters omitted]`;
  if (typeof v === 'string' && v.length > MAX_HISTORY_STRING) return `${v.slice(0, MAX_HISTORY_STRING)}… [${v.length - MAX_HISTORY_STRING} characters omitted]`;
  return v;
}

/**
 * One record as its JSON line (without the newline), in one pass: media and long texts cut while
 * serializing. When even the cut record is too long (thousands of messages), keep what it was about
 * and drop the bodies.
 */
function serializeRecord(record: HistoryRecord): string {
  // The common record has nothing to cut: without a replacer JSON.stringify is several times faster,
  // and the result is the same when no string can be over the cut and no `data` string is present.
  const plain = JSON.stringify(record);
  if (plain.length <= MAX_HISTORY_STRING && !plain.includes('"data":"')) return plain;
  const json = JSON.stringify(record, historyReplacer);
  if (json.length <= MAX_HISTORY_LINE) return json;
  const { request: _request, editedRequest: _edited, result, ...rest } = record;
  return JSON.stringify(
    {
      ...rest,
      ...(result ? { result: { ...result, content: { type: 'text', text: '[answer omitted: the record was too large]' } } } : {}),
      error: rest.error ?? { message: 'The request was too large to keep in the history' },
    },
    historyReplacer,
  );
}

/** Batches up to this size are written synchronously (see writeAll); larger ones never block the thread. */
const SYNC_WRITE_MAX_BYTES = 64 * 1024;
const SLOW_SYNC_WRITE_MS = 10;

/** Records appended in the same turn of the event loop, written together. */
interface Batch {
  readonly records: HistoryRecord[];
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly immediate: ReturnType<typeof setImmediate>;
}

const fs = fsCallbacks.promises;

const fsCall = <T>(run: (callback: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

export class JsonlHistory implements HistorySink {
  private readonly file: string;
  private readonly logger: Logger;
  private queue: Promise<void> = Promise.resolve();
  /** Lines in the file, known after the first append; undefined until then. */
  private lineCount: number | undefined;
  /** Bytes in the file, known with lineCount. */
  private byteCount = 0;
  private endsWithNewline = true;
  private batch: Batch | undefined;
  /**
   * The file, kept open for appending between writes (opening and closing it per record was a
   * measurable share of a round trip), with its inode: before each write the path is checked, so a
   * file removed, or renamed over by another window's compaction, is reopened rather than written
   * into the void.
   */
  private handle: { readonly fd: number; readonly dev: number; readonly ino: number } | undefined;
  private syncWrites = true;

  constructor(private readonly options: JsonlHistoryOptions) {
    this.file = path.join(options.directory, options.fileName ?? 'history.jsonl');
    this.logger = options.logger ?? silentLogger;
  }

  get path(): string {
    return this.file;
  }

  /** The file's size as this writer left it (undefined before its first write): a reader can tell whether anyone else wrote since. */
  get writtenBytes(): number | undefined {
    return this.lineCount === undefined ? undefined : this.byteCount;
  }

  /**
   * Appends one record; writes are serialized, and a failure is logged, never thrown at the pipeline.
   * Records appended in one turn of the event loop are serialized and written together, right after
   * it (setImmediate, no timer): off the path of the request that produced them, and never later
   * than the next turn, so a crash loses at most what the last turn appended.
   */
  append(record: HistoryRecord): Promise<void> {
    let batch = this.batch;
    if (!batch) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      batch = this.batch = { records: [], done, resolve, immediate: setImmediate(() => void this.startBatch()) };
    }
    batch.records.push(record);
    return batch.done;
  }

  /** Writes whatever was appended and not yet written; resolves when it is on disk (or its failure was logged). */
  flush(): Promise<void> {
    this.startBatch();
    return this.queue;
  }

  /** Flushes and closes the file (a later append opens it again). */
  dispose(): Promise<void> {
    this.startBatch();
    const next = this.queue.then(() => this.closeFile());
    this.queue = next.catch(() => undefined);
    return this.queue;
  }

  private startBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    clearImmediate(batch.immediate);
    const next = this.queue.then(() => this.writeBatch(batch.records)).catch((error: unknown) => {
      this.logger.warn(`Could not write the sampling history: ${error instanceof Error ? error.message : String(error)}`);
    });
    this.queue = next;
    void next.then(batch.resolve);
  }

  private serialize(record: HistoryRecord): string {
    return redactSecrets(serializeRecord(record), this.options.secrets?.() ?? []);
  }

  private async writeBatch(records: readonly HistoryRecord[]): Promise<void> {
    const max = Math.max(0, Math.floor(this.options.maxEntries()));
    if (max === 0) {
      await this.closeFile();
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      this.byteCount = 0;
      return;
    }
    await this.openFile();
    // The line count is learned once (and again when the file was replaced under us); after that an append is one write.
    if (this.lineCount === undefined) await this.scan();
    // After a crash mid-write the last line is torn: start on a fresh line so this record stays whole.
    const prefix = this.endsWithNewline ? '' : '\n';
    const lines = records.map((record) => this.serialize(record));
    const bytes = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    await this.writeAll(bytes);
    this.endsWithNewline = true;
    this.lineCount = (this.lineCount ?? 0) + records.length;
    this.byteCount += bytes.length;
    this.options.onWritten?.(lines);
    const slack = Math.max(10, Math.floor(max / 10));
    const maxBytes = this.options.maxBytes ?? MAX_HISTORY_BYTES;
    if (this.lineCount > max + slack || this.byteCount > maxBytes) await this.compact(max, Math.floor(maxBytes * 0.75));
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    const fd = this.handle!.fd;
    if (this.syncWrites && bytes.length <= SYNC_WRITE_MAX_BYTES) {
      // A small append to an open file lands in the page cache in microseconds; the asynchronous
      // form costs a thread-pool round trip (a context switch on a busy machine) per batch. Should
      // the disk ever make one slow, every later write goes asynchronous.
      const started = performance.now();
      for (let offset = 0; offset < bytes.length; ) offset += fsCallbacks.writeSync(fd, bytes, offset, bytes.length - offset);
      if (performance.now() - started > SLOW_SYNC_WRITE_MS) {
        this.syncWrites = false;
        this.logger.debug(`A history write took ${Math.round(performance.now() - started)} ms: writing asynchronously from now on`);
      }
      return;
    }
    for (let offset = 0; offset < bytes.length; ) {
      offset += await fsCall<number>((cb) => fsCallbacks.write(fd, bytes, offset, bytes.length - offset, null, cb));
    }
  }

  /** Opens the file for appending, or checks that the open one is still the file at our path. */
  private async openFile(): Promise<void> {
    if (this.handle) {
      // Synchronous on purpose: a metadata lookup of a few microseconds, where the asynchronous
      // form costs a thread-pool round trip per batch. The write itself stays asynchronous.
      const current = fsCallbacks.statSync(this.file, { throwIfNoEntry: false });
      if (current && current.ino === this.handle.ino && current.dev === this.handle.dev) return;
      // Removed (Clear, storage cleared) or replaced (another window compacted it): what we knew of it is stale.
      await this.closeFile();
      this.lineCount = undefined;
    }
    const open = () => fsCall<number>((cb) => fsCallbacks.open(this.file, 'a', 0o600, cb));
    let fd: number;
    try {
      fd = await open();
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      // The directory is not there yet, or went away (storage cleared): make it, once.
      await fs.mkdir(this.options.directory, { recursive: true });
      fd = await open();
    }
    const stat = await fsCall<Stats>((cb) => fsCallbacks.fstat(fd, cb));
    this.handle = { fd, dev: stat.dev, ino: stat.ino };
  }

  private async closeFile(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await fsCall<void>((cb) => fsCallbacks.close(handle.fd, (error) => cb(error, undefined))).catch(() => undefined);
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
    // The open descriptor would keep appending to the old file: the next write opens the new one.
    await this.closeFile();
    await fs.rename(temp, this.file);
    this.lineCount = kept.length;
    this.byteCount = bytes;
    this.endsWithNewline = true;
  }

  /** The newest records first-to-last in time, at most maxEntries; unreadable lines (a torn write) are skipped. */
  async read(): Promise<HistoryRecord[]> {
    await this.flush();
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
    this.startBatch();
    const next = this.queue.then(async () => {
      await this.closeFile();
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      this.byteCount = 0;
      this.endsWithNewline = true;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
