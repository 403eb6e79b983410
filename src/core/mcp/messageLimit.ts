/**
 * The largest message read from a server, in bytes: a number, or a function read on each message so
 * a changed setting applies at once (mcpSampling.limits.maxRequestBytes sets it).
 */
export type MessageLimit = number | (() => number);

export function currentLimit(limit: MessageLimit): number {
  return typeof limit === 'function' ? limit() : limit;
}
