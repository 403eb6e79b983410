/**
 * One owner per lifetime (the extension, a connection, a request): what is made for it is added to
 * its store, and ending the lifetime disposes all of it, newest first (a listener goes before the
 * emitter it listens to). The shape of VS Code's and copilot-chat's DisposableStore, without vscode.
 */
import type { Disposable } from './events';

/** A disposable that runs `dispose` once. */
export function toDisposable(dispose: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      dispose();
    },
  };
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Owns `item` from now on and returns it. Added after the store was disposed, it is disposed at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
      return item;
    }
    this.items.push(item);
    return item;
  }

  /**
   * Disposes everything added, in reverse order; a second call does nothing. A disposer that throws
   * does not stop the others: the first error is rethrown after all ran (all of them, when several).
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} disposers failed`);
  }
}

/** Calls `listener` once when `signal` aborts; disposing stops listening (the signal may outlive the work). */
export function onAbort(signal: AbortSignal, listener: () => void): Disposable {
  signal.addEventListener('abort', listener, { once: true });
  return toDisposable(() => signal.removeEventListener('abort', listener));
}
