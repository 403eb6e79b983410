/**
 * Runs asks one after another. VS Code shows one input box at a time and ends an earlier one with
 * `undefined`, so servers connecting together must not each open their own.
 */
import { raceAbort } from '../abort';

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
