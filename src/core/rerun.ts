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
