/**
 * Sends the `sampling/createMessage` requests embedded in `input_required` results through the same
 * approval pipeline as server-initiated ones, marked with route `input-required` so the panel and
 * the history show how the request came.
 */
import { randomUUID } from 'node:crypto';
import type { SamplingPipeline } from '../sampling/pipeline';
import type { InputRequestContext } from './roundHandler';

export interface InputSamplingOptions {
  readonly serverName: string;
  /** Where the server is defined (settings, an mcp.json path). */
  readonly serverSource?: string;
  /** Our own request id, unique per session (default: a random UUID). */
  readonly newRequestId?: () => string;
}

export function inputRequiredSamplingHandler(
  pipeline: SamplingPipeline,
  options: InputSamplingOptions,
): (params: unknown, ctx: InputRequestContext) => Promise<unknown> {
  return (params, ctx) =>
    pipeline(params, {
      requestId: options.newRequestId?.() ?? randomUUID(),
      serverName: options.serverName,
      serverSource: options.serverSource ?? 'settings',
      route: 'input-required',
      signal: ctx.signal,
      ...(ctx.toolName ? { toolCall: { name: ctx.toolName } } : {}),
    });
}
