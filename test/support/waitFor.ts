/**
 * The one way tests wait. Prefer `nextEvent` where the code under test fires an event; `waitFor`
 * polls only for state nothing announces (a process exit, a file, a DOM), and always fails with a
 * message naming what it waited for and for how long.
 */

export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Poll this often (default 25 ms). */
  readonly intervalMs?: number;
}

/** Resolves with the first value of `probe` that is neither undefined nor false; rejects after the timeout naming `what`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 25;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last probe threw: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Anything with an event to subscribe to: a VS Code/our `Event`, or an emitter's `on`. */
export type Subscribe<T> = (listener: (value: T) => void) => { dispose(): void } | void | (() => void);

/** Resolves with the next value the event fires that passes `filter`; rejects after the timeout naming `what`. */
export function nextEvent<T>(what: string, subscribe: Subscribe<T>, filter: (value: T) => boolean = () => true, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<T>((resolve, reject) => {
    let unsubscribe: () => void = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const subscription = subscribe((value) => {
      if (!filter(value)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
    unsubscribe = typeof subscription === 'function' ? subscription : subscription ? () => subscription.dispose() : () => {};
  });
}
