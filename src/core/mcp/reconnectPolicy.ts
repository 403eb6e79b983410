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

export type NextReconnect = { readonly giveUp: true; readonly attempt: number } | { readonly giveUp: false; readonly attempt: number; readonly delayMs: number };

/**
 * The next step after a crash: a connection that stayed up `stableAfterMs` starts the count again;
 * past `maxAttempts` the manager gives up; else it waits, twice as long as last time, up to `maxDelayMs`.
 */
export function nextReconnect(policy: ReconnectPolicy, attempt: number, connectedAt: number | undefined, now: number): NextReconnect {
  const current = connectedAt !== undefined && now - connectedAt >= policy.stableAfterMs ? 0 : attempt;
  if (current >= policy.maxAttempts) return { giveUp: true, attempt: current };
  return { giveUp: false, attempt: current + 1, delayMs: Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** current) };
}
