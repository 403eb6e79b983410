/**
 * A drop-in for the SDK's stdio ReadBuffer that stays linear in the message size. The SDK's
 * concatenates the whole buffer on every chunk, so one 50 MB message costs ~20 GB of copying
 * (half a minute of CPU); this keeps the chunks and joins them once per message.
 */
import { currentLimit, type MessageLimit } from './messageLimit';

export class LinearReadBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Chunks at the front already known to hold no newline. */
  private scanned = 0;

  constructor(
    private readonly maxBufferSize: MessageLimit,
    private readonly deserialize: (line: string) => unknown,
  ) {}

  append(chunk: Buffer): void {
    // Read on each chunk: a changed limit applies to the next message, not the next connection.
    const max = currentLimit(this.maxBufferSize);
    if (this.length + chunk.length > max) {
      this.clear();
      throw new Error(`ReadBuffer exceeded maximum size of ${max} bytes`);
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The next complete message, or null. The line is consumed even when it does not parse. */
  readMessage(): unknown {
    for (let i = this.scanned; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      const newline = chunk.indexOf(10);
      if (newline === -1) {
        this.scanned = i + 1;
        continue;
      }
      const head = i === 0 ? chunk.subarray(0, newline) : Buffer.concat([...this.chunks.slice(0, i), chunk.subarray(0, newline)]);
      const rest = chunk.subarray(newline + 1);
      this.chunks = rest.length ? [rest, ...this.chunks.slice(i + 1)] : this.chunks.slice(i + 1);
      this.length -= head.length + 1;
      this.scanned = 0;
      return this.deserialize(head.toString('utf8').replace(/\r$/, ''));
    }
    return null;
  }

  clear(): void {
    this.chunks = [];
    this.length = 0;
    this.scanned = 0;
  }
}

/** Swaps the SDK transport's private read buffer for a LinearReadBuffer, when the SDK still has one. */
export function installLinearReadBuffer(transport: object, maxBufferSize: MessageLimit, deserialize: (line: string) => unknown): boolean {
  const holder = transport as { _readBuffer?: { append?: unknown; readMessage?: unknown; clear?: unknown } };
  const current = holder._readBuffer;
  if (!current || typeof current.append !== 'function' || typeof current.readMessage !== 'function' || typeof current.clear !== 'function') return false;
  holder._readBuffer = new LinearReadBuffer(maxBufferSize, deserialize) as unknown as typeof current;
  return true;
}
