/**
 * Token totals per server from the sampling history, for the History view and the Servers view.
 * Pure: no vscode, no I/O. Tokens come from the providers' usage figures; a record without usage
 * (a refusal, a manual reply, a provider that reports none) still counts as a request.
 */
import type { HistoryRecord } from './history';

export interface ServerUsage {
  readonly serverName: string;
  readonly requests: number;
  readonly answered: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  /** Answered requests whose provider reported no usage: their tokens are missing from the totals. */
  readonly withoutUsage: number;
  /** Requests that carried any usage figure; 0 means the totals say nothing (e.g. only manual replies). */
  readonly withUsage: number;
  /** The newest record's finish time (ms since epoch). */
  readonly lastAt: number;
}

/** A usage figure we can add: a finite, non-negative number (servers and providers are untrusted). */
function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** Totals per server, sorted by total tokens (most first), then by name. */
export function usageByServer(records: readonly HistoryRecord[]): ServerUsage[] {
  const byServer = new Map<string, { requests: number; answered: number; inputTokens: number; outputTokens: number; withoutUsage: number; withUsage: number; lastAt: number }>();
  for (const record of records) {
    const name = typeof record.serverName === 'string' ? record.serverName : '(unknown)';
    const entry = byServer.get(name) ?? { requests: 0, answered: 0, inputTokens: 0, outputTokens: 0, withoutUsage: 0, withUsage: 0, lastAt: 0 };
    entry.requests += 1;
    if (record.outcome === 'answered') entry.answered += 1;
    const input = tokens(record.usage?.inputTokens);
    const output = tokens(record.usage?.outputTokens);
    entry.inputTokens += input;
    entry.outputTokens += output;
    const reported = record.usage?.inputTokens !== undefined || record.usage?.outputTokens !== undefined;
    if (reported) entry.withUsage += 1;
    else if (record.outcome === 'answered') entry.withoutUsage += 1;
    if (typeof record.finishedAt === 'number' && record.finishedAt > entry.lastAt) entry.lastAt = record.finishedAt;
    byServer.set(name, entry);
  }
  return [...byServer.entries()]
    .map(([serverName, e]) => ({ serverName, ...e, totalTokens: e.inputTokens + e.outputTokens }))
    .sort((a, b) => b.totalTokens - a.totalTokens || a.serverName.localeCompare(b.serverName));
}

/** Tokens of one record (input + output), or undefined when the provider reported none. */
export function recordTokens(record: HistoryRecord): number | undefined {
  if (record.usage?.inputTokens === undefined && record.usage?.outputTokens === undefined) return undefined;
  return tokens(record.usage?.inputTokens) + tokens(record.usage?.outputTokens);
}
