/**
 * The sampling history: one JSON object per line in `<directory>/history.jsonl`, appended as requests
 * end. Bounded by `mcpSampling.history.maxEntries` (rewritten atomically, newest kept, when it grows
 * past the bound plus some slack); reading skips a torn last line left by a crash mid-write.
 * Media data is replaced by its size, long texts are cut (each line stays under 1 MB), and every
 * known secret is redacted before anything is written.
 */
import * as fsCallbacks from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { redactSecrets } from '../secrets';
import { AppendFile } from './appendFile';
import { readForCompaction, readForCompactionSync, swapIfUnchanged, type SwapOutcome } from './compactionSwap';
import { keepNewest, MAX_HISTORY_BYTES, serializeRecord, type HistoryRecord, type HistorySink, type KeptLines } from './historyRecord';

export type { HistoryDecision, HistoryOutcome, HistoryRecord, HistorySink } from './historyRecord';

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

/**
 * Batches up to this size are written synchronously (see writeAll); larger ones never block the
 * thread. A busy host finishes hundreds of requests in one turn of its event loop, so a batch of
 * several hundred KB is ordinary then, and an asynchronous write of it costs a whole (long) turn.
 */
const SYNC_WRITE_MAX_BYTES = 1024 * 1024;
/** A file up to this size is compacted synchronously (see compact); a larger one never blocks the thread. */
const SYNC_COMPACT_MAX_BYTES = 4 * 1024 * 1024;
/** A synchronous write or compaction slower than this (a slow disk; or a busy machine) makes the next ones asynchronous for a while. */
const SLOW_SYNC_WRITE_MS = 50;
const ASYNC_BATCHES_AFTER_SLOW = 100;

/**
 * Records written together: those appended in one turn of the event loop, and, while an earlier
 * write is still running, every record appended until this one starts.
 */
interface Batch {
  readonly records: HistoryRecord[];
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly immediate: ReturnType<typeof setImmediate>;
  /** In the write queue; appends still join it until its write starts. */
  queued: boolean;
}

const fs = fsCallbacks.promises;

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
  /** The file, kept open for appending between writes. */
  private readonly out: AppendFile;
  /**
   * Batches left to write asynchronously after a synchronous write or compaction was slow (a slow
   * disk, or this process waiting for a CPU on a busy machine); then synchronous writes are tried
   * again, so one unlucky moment does not make every later write pay the thread pool's round trips.
   */
  private asyncBatchesLeft = 0;

  constructor(private readonly options: JsonlHistoryOptions) {
    this.file = path.join(options.directory, options.fileName ?? 'history.jsonl');
    this.out = new AppendFile(this.file, options.directory);
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
   * than the next turn, so a crash loses at most what the last turn appended. While a write is
   * still running (a compaction on a busy extension host can take many turns), later records join
   * one waiting batch instead of queueing a write each: the queue holds at most one write behind the
   * running one, so under load it catches up rather than falling further behind.
   */
  append(record: HistoryRecord): Promise<void> {
    let batch = this.batch;
    if (!batch) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      batch = this.batch = { records: [], done, resolve, immediate: setImmediate(() => this.queueBatch()), queued: false };
    }
    batch.records.push(record);
    return batch.done;
  }

  /** Writes whatever was appended and not yet written; resolves when it is on disk (or its failure was logged). */
  flush(): Promise<void> {
    this.sealBatch();
    return this.queue;
  }

  /** Flushes and closes the file (a later append opens it again). */
  dispose(): Promise<void> {
    this.sealBatch();
    const next = this.queue.then(() => this.out.close());
    this.queue = next.catch(() => undefined);
    return this.queue;
  }

  /** Puts the open batch in the write queue; it keeps taking appends until its write starts. */
  private queueBatch(): void {
    const batch = this.batch;
    if (!batch || batch.queued) return;
    batch.queued = true;
    clearImmediate(batch.immediate);
    const next = this.queue
      .then(() => {
        if (this.batch === batch) this.batch = undefined;
        return this.writeBatch(batch.records);
      })
      .catch((error: unknown) => {
        this.logger.warn(`Could not write the sampling history: ${error instanceof Error ? error.message : String(error)}`);
      });
    this.queue = next;
    void next.then(batch.resolve);
  }

  /** Queues the open batch and closes it to appends: what is appended from now on is written after whatever is queued next (a clear, a close). */
  private sealBatch(): void {
    this.queueBatch();
    this.batch = undefined;
  }

  private serialize(record: HistoryRecord): string {
    const secrets = this.options.secrets?.() ?? [];
    return redactSecrets(serializeRecord(record, secrets), secrets);
  }

  private async writeBatch(records: readonly HistoryRecord[]): Promise<void> {
    const max = Math.max(0, Math.floor(this.options.maxEntries()));
    if (max === 0) {
      await this.out.close();
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      this.byteCount = 0;
      return;
    }
    if (this.asyncBatchesLeft > 0) this.asyncBatchesLeft--;
    await this.openFile();
    // The line count is learned once (and again when the file was replaced under us); after that an append is one write.
    if (this.lineCount === undefined) await this.scan();
    // After a crash mid-write the last line is torn: start on a fresh line so this record stays whole.
    const prefix = this.endsWithNewline ? '' : '\n';
    const lines = records.map((record) => this.serialize(record));
    const bytes = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    // Until the write is whole: one that fails part way leaves a torn line for the next to step over.
    this.endsWithNewline = false;
    await this.writeAll(bytes);
    this.endsWithNewline = true;
    this.lineCount = (this.lineCount ?? 0) + records.length;
    this.byteCount += bytes.length;
    this.options.onWritten?.(lines);
    // A compaction rewrites the newest `max` lines; a quarter of slack keeps that to one per
    // max/4 appends (a tenth made it one per 100 at the default 1000, ten bytes rewritten per byte
    // appended), for a file at most a quarter longer than the bound (reads return the newest max).
    const slack = Math.max(10, Math.floor(max / 4));
    const maxBytes = this.options.maxBytes ?? MAX_HISTORY_BYTES;
    if (this.lineCount > max + slack || this.byteCount > maxBytes) await this.compact(max, Math.floor(maxBytes * 0.75));
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    if (this.asyncBatchesLeft === 0 && bytes.length <= SYNC_WRITE_MAX_BYTES) {
      // An append to an open file lands in the page cache in microseconds (a MB in well under one);
      // the asynchronous form costs a thread-pool round trip, and a turn of the event loop, per batch.
      const started = performance.now();
      await this.out.write(bytes, true);
      this.noteSyncDuration('write', started);
      return;
    }
    await this.out.write(bytes, false);
  }

  /** Opens the file for appending, or checks that the open one is still the file at our path. */
  private async openFile(): Promise<void> {
    const found = await this.out.open();
    // Removed or replaced: what we knew of it is stale.
    if (found.kind === 'replaced') this.lineCount = undefined;
    // Another window appended, or a write of ours stopped part way: the file may end in a torn line.
    if (found.kind === 'same' && found.size !== this.byteCount) {
      this.byteCount = found.size;
      this.endsWithNewline = this.out.endsWithNewline(found.size);
    }
  }

  private async scan(): Promise<void> {
    const text = await this.readText();
    this.lineCount = text === '' ? 0 : text.split('\n').filter((l) => l.trim() !== '').length;
    this.byteCount = Buffer.byteLength(text);
    this.endsWithNewline = text === '' || text.endsWith('\n');
  }

  private async readBytes(): Promise<Buffer> {
    try {
      return await fs.readFile(this.file);
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    }
  }

  private async readText(): Promise<string> {
    return (await this.readBytes()).toString('utf8');
  }

  /**
   * Keeps the newest lines, at most `max` of them and `keepBytes` bytes: written to a temporary file,
   * then renamed over (atomic on one disk) unless another window changed the file meanwhile (see
   * compactionSwap: its appends are carried over, its clear or compaction stands).
   */
  private async compact(max: number, keepBytes: number): Promise<void> {
    const temp = `${this.file}.${process.pid}.tmp`;
    if (this.asyncBatchesLeft === 0 && this.byteCount <= SYNC_COMPACT_MAX_BYTES) {
      // A file of a few MB is read, cut and rewritten in about a millisecond; done asynchronously it
      // is a dozen thread-pool round trips, and each waits for a turn of the event loop, which a
      // busy extension host (hundreds of requests in flight) makes seconds long: the history then
      // fell minutes behind, holding every record in memory until it caught up.
      const started = performance.now();
      const read = readForCompactionSync(this.file);
      if (read) {
        const kept = keepNewest(read.bytes, max, keepBytes);
        fsCallbacks.writeFileSync(temp, kept.bytes, { mode: 0o600 });
        this.out.closeSync();
        this.compacted(kept, swapIfUnchanged(this.file, temp, read));
      }
      this.noteSyncDuration('compaction', started);
      return;
    }
    const read = await readForCompaction(this.file);
    if (!read) return;
    const kept = keepNewest(read.bytes, max, keepBytes);
    await fs.writeFile(temp, kept.bytes, { mode: 0o600 });
    // The open descriptor would keep appending to the old file: the next write opens the new one.
    await this.out.close();
    this.compacted(kept, swapIfUnchanged(this.file, temp, read));
  }

  private noteSyncDuration(what: string, started: number): void {
    const ms = performance.now() - started;
    if (ms <= SLOW_SYNC_WRITE_MS) return;
    this.asyncBatchesLeft = ASYNC_BATCHES_AFTER_SLOW;
    this.logger.debug(`A history ${what} took ${Math.round(ms)} ms: the next ${ASYNC_BATCHES_AFTER_SLOW} writes are asynchronous`);
  }

  private compacted(kept: KeptLines, swap: SwapOutcome): void {
    if (!swap.swapped) {
      // Another window cleared or compacted the file: learn it again before the next write.
      this.lineCount = undefined;
      return;
    }
    let carriedLines = 0;
    for (const byte of swap.carried) if (byte === 0x0a) carriedLines++;
    this.lineCount = kept.lines + carriedLines;
    this.byteCount = kept.bytes.length + swap.carried.length;
    this.endsWithNewline = swap.carried.length === 0 || swap.carried[swap.carried.length - 1] === 0x0a;
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
    this.sealBatch();
    const next = this.queue.then(async () => {
      await this.out.close();
      await fs.rm(this.file, { force: true });
      this.lineCount = 0;
      this.byteCount = 0;
      this.endsWithNewline = true;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
