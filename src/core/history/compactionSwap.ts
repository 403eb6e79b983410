/**
 * The history file is shared by every VS Code window. A compaction reads it, writes the kept lines to
 * a temporary file and renames that over it; meanwhile another window may append to it (through its
 * own open descriptor), clear it, or compact it itself. The rename must not undo any of that, so it
 * happens only after a check of the file as it is now, with nothing in between (synchronous).
 */
import * as fs from 'node:fs';

/** What a compaction read: the file's identity and how many of its bytes. */
export interface ReadForCompaction {
  readonly bytes: Buffer;
  readonly dev: number;
  readonly ino: number;
}

export type SwapOutcome =
  /** Renamed over; `carried` are the bytes another window appended after the read, now at the end. */
  | { readonly swapped: true; readonly carried: Buffer }
  /** Left alone: the file was removed, replaced or shortened since the read (its new state stands). */
  | { readonly swapped: false };

/** Reads the file with its identity, or undefined when it is not there. */
export function readForCompactionSync(file: string): ReadForCompaction | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    return { bytes: fs.readFileSync(fd), dev: stat.dev, ino: stat.ino };
  } finally {
    fs.closeSync(fd);
  }
}

export async function readForCompaction(file: string): Promise<ReadForCompaction | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    return { bytes: await handle.readFile(), dev: stat.dev, ino: stat.ino };
  } finally {
    await handle.close();
  }
}

/**
 * Renames `temp` over `file` if `file` is still the one that was read: lines appended to it since are
 * copied to the end of `temp` first. Otherwise `temp` is removed.
 */
export function swapIfUnchanged(file: string, temp: string, read: ReadForCompaction): SwapOutcome {
  const now = fs.statSync(file, { throwIfNoEntry: false });
  if (!now || now.ino !== read.ino || now.dev !== read.dev || now.size < read.bytes.length) {
    fs.rmSync(temp, { force: true });
    return { swapped: false };
  }
  let carried = Buffer.alloc(0);
  if (now.size > read.bytes.length) {
    carried = Buffer.alloc(now.size - read.bytes.length);
    const fd = fs.openSync(file, 'r');
    try {
      let got = 0;
      while (got < carried.length) {
        const n = fs.readSync(fd, carried, got, carried.length - got, read.bytes.length + got);
        if (n === 0) break;
        got += n;
      }
      carried = carried.subarray(0, got);
    } finally {
      fs.closeSync(fd);
    }
    fs.appendFileSync(temp, carried);
  }
  fs.renameSync(temp, file);
  return { swapped: true, carried };
}
