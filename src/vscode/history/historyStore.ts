/**
 * The sampling history of this window: one JsonlHistory (JSONL in the extension's global storage)
 * that the pipeline appends to through this store and the view reads from, so a clear or a
 * compaction keeps one line count. The directory is still watched, for the appends of other windows.
 */
import { mkdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as vscode from 'vscode';
import { JsonlHistory, type HistoryRecord, type HistorySink } from '../../core/history/history';
import { DisposableStore } from '../../core/lifetime';
import type { Logger } from '../../core/logger';
import { usageByServer, type ServerUsage } from '../../core/history/usage';
import { historyMaxEntries, onDidChangeSettings } from '../config';

export const HISTORY_FILE_NAME = 'history.jsonl';
/** Appends come in bursts (a request and its review end together): one reload per burst. */
const RELOAD_DEBOUNCE_MS = 150;

export class HistoryStore implements HistorySink, vscode.Disposable {
  private readonly history: JsonlHistory;
  private cache: Promise<HistoryRecord[]> | undefined;
  /** The records of the current cache once read. */
  private loaded: HistoryRecord[] | undefined;
  /** Lines this window wrote since the cache was read, not yet in it. */
  private ownLines: string[] = [];
  private lastWrittenBytes: number | undefined;
  private usage = new Map<string, ServerUsage>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires after the records were reloaded (an append, a clear, a settings change). */
  readonly onDidChange = this.changeEmitter.event;
  private watcher: FSWatcher | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions = new DisposableStore();

  constructor(
    private readonly directory: string,
    private readonly logger: Logger,
    /** Every secret known now: redacted before a record reaches the disk. */
    secrets: () => readonly string[] = () => [],
  ) {
    this.history = new JsonlHistory({
      directory,
      maxEntries: historyMaxEntries,
      secrets,
      logger,
      fileName: HISTORY_FILE_NAME,
      // Kept only while there is a cache to add them to (deduplicated by id against what its read saw).
      onWritten: (lines) => {
        if (!this.cache) return;
        this.ownLines.push(...lines);
        const bound = 2 * Math.max(1, historyMaxEntries());
        if (this.ownLines.length > bound) this.ownLines.splice(0, this.ownLines.length - bound);
      },
    });
    this.subscriptions.add(this.changeEmitter);
    this.watchFile();
    this.subscriptions.add(onDidChangeSettings(['historyMaxEntries'], () => this.refresh()));
  }

  get path(): string {
    return this.history.path;
  }

  /** Appends one record (the pipeline's sink) and reloads the view. */
  async append(record: HistoryRecord): Promise<void> {
    await this.history.append(record);
    this.scheduleRefresh();
  }

  /** Watches the directory, not the file: the file is created late, removed by Clear, and renamed over when compacted. */
  private watchFile(): void {
    try {
      mkdirSync(this.directory, { recursive: true });
      this.watcher = watch(this.directory, { persistent: false }, (_event, fileName) => {
        if (fileName === null || fileName === HISTORY_FILE_NAME) this.scheduleRefresh();
      });
      this.watcher.on('error', (error) => this.logger.debug(`History watcher stopped: ${error.message}`));
    } catch (error) {
      // Without a watcher the view still refreshes on its Refresh button and after our own commands.
      this.logger.debug(`Could not watch the history directory: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, RELOAD_DEBOUNCE_MS);
  }

  /**
   * After an append or a change in the folder: when the file is exactly as this window left it,
   * only its own new lines are added to the cache; re-reading and parsing the whole history after
   * every request cost more than the request. Anything else (another window, Clear, a changed bound)
   * reloads it.
   */
  private update(): void {
    const loaded = this.loaded;
    const written = this.history.writtenBytes;
    const size = written === undefined ? undefined : statSync(this.history.path, { throwIfNoEntry: false })?.size;
    // A compaction (the file shrank) may have dropped more than the entry bound would: read it again.
    const shrank = written !== undefined && this.lastWrittenBytes !== undefined && written < this.lastWrittenBytes;
    this.lastWrittenBytes = written;
    if (!loaded || written === undefined || size !== written || shrank) return this.refresh();
    if (this.ownLines.length === 0) return;
    const known = new Set(loaded.map((r) => r.id));
    for (const line of this.ownLines.splice(0)) {
      try {
        const record = JSON.parse(line) as HistoryRecord;
        if (!known.has(record.id)) loaded.push(record);
      } catch {
        return this.refresh();
      }
    }
    const max = Math.max(0, Math.floor(historyMaxEntries()));
    if (loaded.length > max) loaded.splice(0, loaded.length - max);
    this.usage = new Map(usageByServer(loaded).map((u) => [u.serverName, u]));
    this.changeEmitter.fire();
  }

  /** Drops the cache, reloads, and fires onDidChange. */
  refresh(): void {
    this.cache = undefined;
    void this.records().then(() => this.changeEmitter.fire());
  }

  /** All records, oldest first: cached, or read from disk now when `fresh` (export and clear must not miss a write). */
  records(options: { fresh?: boolean } = {}): Promise<HistoryRecord[]> {
    if (options.fresh) this.cache = undefined;
    if (!this.cache) {
      // What this window wrote so far is in the file the read returns; later lines are collected again.
      this.loaded = undefined;
      this.ownLines = [];
      const cache: Promise<HistoryRecord[]> = this.history.read().then(
        (records) => {
          this.usage = new Map(usageByServer(records).map((u) => [u.serverName, u]));
          if (this.cache === cache) this.loaded = records;
          return records;
        },
        (error: unknown) => {
          this.logger.warn(`Could not read the sampling history: ${error instanceof Error ? error.message : String(error)}`);
          this.usage = new Map();
          return [];
        },
      );
      this.cache = cache;
    }
    return this.cache;
  }

  async find(id: string): Promise<HistoryRecord | undefined> {
    return (await this.records()).find((r) => r.id === id);
  }

  /** The usage of one server as of the last load (synchronous, for tooltips); undefined before any request. */
  usageFor(serverName: string): ServerUsage | undefined {
    return this.usage.get(serverName);
  }

  async clear(): Promise<void> {
    await this.history.clear();
    this.refresh();
  }

  dispose(): void {
    // Appends are batched per event-loop turn: write the last batch and close the file.
    void this.history.dispose();
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.subscriptions.dispose();
  }
}
