/** A sliding-window rate limiter per key (server name): at most `limit` acquisitions in any `windowMs`. */
export class SlidingWindowRateLimiter {
  private readonly stamps = new Map<string, number[]>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a slot when one is free; otherwise says how long until the oldest one leaves the window. */
  tryAcquire(key: string, limit: number): { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number } {
    const now = this.now();
    const recent = (this.stamps.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= limit) {
      this.stamps.set(key, recent);
      const oldest = recent[recent.length - limit] ?? now;
      return { ok: false, retryAfterMs: Math.max(0, oldest + this.windowMs - now) };
    }
    recent.push(now);
    // Only the newest `limit` stamps matter, which bounds memory even when the limit shrinks.
    this.stamps.set(key, recent.slice(-Math.max(1, Math.floor(limit))));
    return { ok: true };
  }

  reset(key?: string): void {
    if (key === undefined) this.stamps.clear();
    else this.stamps.delete(key);
  }
}
