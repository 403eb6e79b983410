/**
 * The async primitives the extension shares, in one module (VS Code keeps their equivalents in
 * base/common/async: Throttler, Sequencer, raceCancellation): every wait ends when its signal aborts,
 * a reload sees every change that asked for it, and prompts run one at a time.
 */

/** Resolves or rejects like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts (the timer cleared). */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why a signal aborted, in words (SDK reasons are Errors or strings). */
export function describeAbortReason(reason: unknown): string {
  if (reason instanceof Error && reason.message) return reason.message;
  if (typeof reason === 'string' && reason) return reason;
  return 'the server cancelled the request';
}

/**
 * A task that must see every change that asked for it: a call while it runs asks for one more run
 * after it (the change may have come after the running one read its input), however many calls
 * came meanwhile. Each caller gets a run that started after it asked.
 */
export class Rerun<T> {
  private running: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly task: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.running) {
      this.running = this.task().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.run();
      });
    return this.next;
  }
}

/**
 * Runs asks one after another. VS Code shows one input box at a time and ends an earlier one with
 * `undefined`, so servers connecting together must not each open their own.
 */
export class OneAtATime {
  /** Settles when the last ask queued so far has finished. */
  private tail: Promise<void> = Promise.resolve();

  /**
   * Runs `ask` after every ask queued before it has finished. Resolves `undefined` when `signal`
   * aborts first; the asks behind it still wait for the ones before it.
   */
  async run<T>(ask: () => Promise<T>, signal?: AbortSignal): Promise<T | undefined> {
    const before = this.tail;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.tail = before.then(() => mine);
    try {
      if (signal) await raceAbort(before, signal);
      else await before;
    } catch {
      done();
      return undefined;
    }
    try {
      return await ask();
    } finally {
      done();
    }
  }
}
