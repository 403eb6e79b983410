/**
 * Watches a webview that should say `ready` after its HTML is set. Now and then VS Code shows a new
 * panel's frame but never gives it the content (seen on a loaded machine with the panel created in
 * the background while another view had focus): the panel stays blank while a request waits in it.
 * When no `ready` comes in time, the HTML is set again; the waits grow so a webview that is only
 * slow is not restarted over and over. No `vscode` here, so it is tested under plain Node.
 */
export interface LoadWatchdogOptions {
  /** Sets the webview's HTML again (a new nonce, so VS Code sends it even if nothing else changed). */
  readonly reload: (attempt: number) => void;
  /** Whether waiting makes sense now (the panel is visible: a hidden webview does not load). */
  readonly shouldWait: () => boolean;
  /** Called once when the last reload did not help either. */
  readonly gaveUp?: () => void;
  /** Waits before each reload, in ms; default 5 s, 10 s, 20 s. */
  readonly waitsMs?: readonly number[];
}

const DEFAULT_WAITS_MS = [5_000, 10_000, 20_000];

export class WebviewLoadWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private readonly waits: readonly number[];

  constructor(private readonly options: LoadWatchdogOptions) {
    this.waits = options.waitsMs ?? DEFAULT_WAITS_MS;
  }

  /** The HTML was set (or the webview became visible and will load again): wait for `ready`. */
  expectReady(): void {
    this.stop();
    this.attempt = 0;
    this.schedule();
  }

  /** The webview said `ready`. */
  ready(): void {
    this.stop();
    this.attempt = 0;
  }

  dispose(): void {
    this.stop();
  }

  private schedule(): void {
    const wait = this.waits[this.attempt];
    if (wait === undefined) {
      this.options.gaveUp?.();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.options.shouldWait()) return;
      this.attempt++;
      this.options.reload(this.attempt);
      this.schedule();
    }, wait);
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
