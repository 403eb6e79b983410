/**
 * The history file kept open for appending between writes (opening and closing it per record was a
 * measurable share of a round trip), with its inode: before each write the path is checked, so a
 * file removed, or renamed over by another window's compaction, is reopened rather than written into
 * the void.
 */
import * as fs from 'node:fs';
import type { Stats } from 'node:fs';

const call = <T>(run: (callback: (error: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))));

/** What `open` found: the same file (with its size now), a new one in place of the one open, or a first open. */
export type OpenOutcome = { readonly kind: 'same'; readonly size: number } | { readonly kind: 'replaced' } | { readonly kind: 'opened' };

export class AppendFile {
  private handle: { readonly fd: number; readonly dev: number; readonly ino: number } | undefined;

  constructor(
    private readonly file: string,
    private readonly directory: string,
  ) {}

  /** Opens the file for appending, or checks that the open one is still the file at the path. */
  async open(): Promise<OpenOutcome> {
    let replaced = false;
    if (this.handle) {
      // Synchronous on purpose: a metadata lookup of a few microseconds, where the asynchronous
      // form costs a thread-pool round trip per batch.
      const current = fs.statSync(this.file, { throwIfNoEntry: false });
      if (current && current.ino === this.handle.ino && current.dev === this.handle.dev) return { kind: 'same', size: current.size };
      // Removed (Clear, storage cleared) or replaced (another window compacted it).
      await this.close();
      replaced = true;
    }
    // Readable too, for the last byte (endsWithNewline); writes still go to the end.
    const open = () => call<number>((cb) => fs.open(this.file, 'a+', 0o600, cb));
    let fd: number;
    try {
      fd = await open();
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      // The directory is not there yet, or went away (storage cleared): make it, once.
      await fs.promises.mkdir(this.directory, { recursive: true });
      fd = await open();
    }
    const stat = await call<Stats>((cb) => fs.fstat(fd, cb));
    this.handle = { fd, dev: stat.dev, ino: stat.ino };
    return { kind: replaced ? 'replaced' : 'opened' };
  }

  /** Whether the open file, `size` bytes long, ends on a line's end. */
  endsWithNewline(size: number): boolean {
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    return fs.readSync(this.handle!.fd, last, 0, 1, size - 1) === 1 && last[0] === 0x0a;
  }

  /** Appends all of `bytes`; `sync`: in this turn (a few microseconds for an append to the page cache). */
  async write(bytes: Buffer, sync: boolean): Promise<void> {
    const fd = this.handle!.fd;
    if (sync) {
      for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      return;
    }
    for (let offset = 0; offset < bytes.length; ) {
      offset += await call<number>((cb) => fs.write(fd, bytes, offset, bytes.length - offset, null, cb));
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    await call<void>((cb) => fs.close(handle.fd, (error) => cb(error, undefined))).catch(() => undefined);
  }

  closeSync(): void {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    try {
      fs.closeSync(handle.fd);
    } catch {
      // Already closed or gone: nothing of ours is lost, the next write opens the file again.
    }
  }
}
