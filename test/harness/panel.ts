/**
 * The approval panel as the end-to-end tests drive it, the way a user does: wait for servers, call a
 * tool that samples and find its card, reject a request through the Reject → reason → "Reject
 * request" steps. One copy for every e2e file.
 */
import type { Frame, Locator } from 'playwright-core';
import { waitFor } from '../support/waitFor';
import type { Session } from './session';

export interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

export const textOf = (r: ToolResult): string => r.content.map((c) => c.text ?? '').join('\n');

/** Waits until every named server reports `connected` in the extension host. */
export async function waitForConnected(session: Session, names: readonly string[], timeoutMs = 60_000): Promise<void> {
  for (const name of names) {
    await waitFor(`${name} connected`, async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === name && s.status === 'connected');
    }, { timeoutMs, intervalMs: 200 });
  }
}

export interface SamplingCard {
  /** The tool call's result, once the request is answered or refused. */
  readonly result: Promise<ToolResult>;
  readonly id: string;
  readonly frame: Frame;
  readonly card: Locator;
}

/** Calls `tool` on `server` (a tool that samples) and waits for the new request's card in the panel. */
export async function callToolAndFindCard(session: Session, server: string, tool: string, args: Record<string, unknown>): Promise<SamplingCard> {
  const known = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
  const result = session.command<ToolResult>('mcpSampling.callTool', server, tool, args);
  result.catch(() => undefined);
  let id = '';
  await waitFor(`a new request from ${server} (${tool})`, async () => {
    const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
    id = pending.find((r) => r.serverName === server && !known.has(r.id))?.id ?? '';
    return id !== '';
  }, { timeoutMs: 30_000, intervalMs: 200 });
  const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
  return { result, id, frame, card: frame.locator(`[data-request-id="${id}"]`) };
}

/** Rejects a pending card as a user does: Reject, the reason field appears, the reason (if any), "Reject request". */
export async function rejectRequest(card: Locator, reason?: string, timeoutMs = 10_000): Promise<void> {
  await card.locator('[data-action="reject"]').click({ timeout: timeoutMs });
  const field = card.locator('[data-action="reject-reason"]');
  await field.waitFor({ state: 'visible', timeout: timeoutMs });
  if (reason !== undefined) await field.fill(reason);
  await card.locator('[data-action="confirm-reject"]').click({ timeout: timeoutMs });
}
