/**
 * Writes a stream of server-sent events to a slow or fast reader without growing memory: while the
 * socket's buffer is full, text deltas are joined into one pending string (the answer's own text,
 * which the pipeline holds anyway) instead of queueing a framed chunk per delta; they go out as one
 * chunk when the socket drains. The last events wait for the pending text, so order is kept.
 */
export interface SseSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): unknown;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
}

export class SseWriter {
  private pendingText = '';
  private full = false;
  private drained: (() => void)[] = [];
  private writes = 0;

  constructor(
    private readonly sink: SseSink,
    /** Wraps a text delta in the event object sent for it. */
    private readonly textEvent: (text: string) => unknown,
  ) {}

  /** Chunks written so far (for tests: a blocked reader gets one, not one per delta). */
  get writeCount(): number {
    return this.writes;
  }

  get bufferedText(): number {
    return this.pendingText.length;
  }

  /** A text delta: written now, or joined to the pending text while the reader is behind. */
  text(delta: string): void {
    if (delta === '' || this.closed()) return;
    if (this.full) {
      this.pendingText += delta;
      return;
    }
    this.write(this.textEvent(delta));
  }

  /** Writes the pending text, then `events`, then `data: [DONE]`, and ends the response. */
  async finish(events: readonly unknown[]): Promise<void> {
    await this.whenDrained();
    if (this.closed()) return;
    for (const event of events) this.write(event);
    this.writeRaw('data: [DONE]\n\n');
    this.sink.end();
  }

  /** Resolves once nothing is pending (or the reader went away). */
  whenDrained(): Promise<void> {
    if (!this.full || this.closed()) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  /** The reader went away: nothing more is written, and whoever waits for a drain stops waiting. */
  abandon(): void {
    this.pendingText = '';
    const waiting = this.drained;
    this.drained = [];
    for (const resolve of waiting) resolve();
  }

  private closed(): boolean {
    return this.sink.writableEnded || this.sink.destroyed;
  }

  /** An event written now (the stream's first); later events go through text() and finish(). */
  send(event: unknown): void {
    this.write(event);
  }

  private write(event: unknown): void {
    this.writeRaw(`data: ${JSON.stringify(event)}\n\n`);
  }

  private writeRaw(frame: string): void {
    if (this.closed()) return;
    this.writes++;
    if (this.sink.write(frame)) return;
    this.full = true;
    this.sink.once('drain', () => this.onDrain());
  }

  private onDrain(): void {
    this.full = false;
    const text = this.pendingText;
    this.pendingText = '';
    if (text !== '') this.write(this.textEvent(text));
    // That write may have filled the buffer again: wait for the next drain.
    if (this.full) return;
    const waiting = this.drained;
    this.drained = [];
    for (const resolve of waiting) resolve();
  }
}
