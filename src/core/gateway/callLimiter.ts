/**
 * Bounds the tool calls of one caller: at most `maxConcurrent` run at once, up to `maxQueued` more
 * wait their turn (in order), and beyond that a call is refused at once. A waiting call whose signal
 * aborts leaves the queue.
 */
export class CallLimitError extends Error {}

export interface CallLimits {
  readonly maxConcurrent: number;
  readonly maxQueued: number;
}

export class CallLimiter {
  private running = 0;
  private peakRunning = 0;
  private readonly waiting: { start: () => void; abort: (reason: unknown) => void }[] = [];

  constructor(private readonly limits: CallLimits) {}

  get inFlight(): number {
    return this.running;
  }
  get queued(): number {
    return this.waiting.length;
  }
  /** The most calls that ever ran at once (for tests and the status view). */
  get peak(): number {
    return this.peakRunning;
  }

  async run<T>(signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.running < this.limits.maxConcurrent) {
      this.started();
      return Promise.resolve();
    }
    if (this.waiting.length >= this.limits.maxQueued) {
      return Promise.reject(
        new CallLimitError(`Too many tool calls at once: ${this.limits.maxConcurrent} run and ${this.limits.maxQueued} wait already. Try again when some have finished.`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const entry = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.started();
          resolve();
        },
        abort: reject,
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private started(): void {
    this.running += 1;
    this.peakRunning = Math.max(this.peakRunning, this.running);
  }

  private release(): void {
    this.running -= 1;
    const next = this.waiting.shift();
    next?.start();
  }
}
