/** How the manager reconnects a crashed server, and the clock it uses (injectable for tests). */

export interface ReconnectPolicy {
  /** The first delay after a crash; doubles on each failed attempt. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts after one crash before giving up (until the user connects again). */
  readonly maxAttempts: number;
  /** A connection that stayed up this long resets the attempt count. */
  readonly stableAfterMs: number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 8, stableAfterMs: 60_000 };

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
