/** A minimal event emitter with the same shape as vscode.Event, so core needs no vscode import. */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    // Fired per request (progress, logs) with nobody listening in most cases: no copy then.
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A failing listener must not stop the others or the code that fired.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
