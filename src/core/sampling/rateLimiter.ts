/** A sliding-window rate limiter per key (server name): at most `limit` acquisitions in any `windowMs`. */
export class SlidingWindowRateLimiter {
  /** Per key, the times of its acquisitions, oldest first; `start` skips those already out of the window. */
  private readonly windows = new Map<string, { stamps: number[]; start: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a slot when one is free; otherwise says how long until the oldest one leaves the window. */
  tryAcquire(key: string, limit: number): { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { stamps: [], start: 0 }));
    const { stamps } = window;
    // Amortized O(1) per request: stamps leave from the front as they age, never re-filtered as a whole.
    while (window.start < stamps.length && now - stamps[window.start]! >= this.windowMs) window.start++;
    // Only the newest `limit` stamps matter, which bounds memory even when the limit shrinks.
    const keep = Math.max(1, Math.floor(limit));
    if (stamps.length - window.start > keep) window.start = stamps.length - keep;
    if (window.start > 64 && window.start * 2 > stamps.length) {
      stamps.splice(0, window.start);
      window.start = 0;
    }
    const inWindow = stamps.length - window.start;
    if (inWindow >= limit) {
      const oldest = stamps[stamps.length - limit] ?? now;
      return { ok: false, retryAfterMs: Math.max(0, oldest + this.windowMs - now) };
    }
    stamps.push(now);
    return { ok: true };
  }

  reset(key?: string): void {
    if (key === undefined) this.windows.clear();
    else this.windows.delete(key);
  }
}
