/**
 * Adapts the pipeline to the MCP connection's injected `SamplingHandler` (src/core/mcp/connection.ts),
 * typed structurally here so neither side imports the other.
 */
import { randomUUID } from 'node:crypto';
import type { SamplingPipeline } from './pipeline';
import type { SamplingResult, SamplingResultWithTools, SamplingRoute } from './types';

/** What the connection passes with each request (same shape as its `SamplingRequestContext`). */
export interface ConnectionSamplingContext {
  readonly serverName: string;
  readonly requestId: string | number;
  readonly signal: AbortSignal;
  readonly progressToken?: string | number;
  readonly sendProgress?: (message?: string) => void;
  readonly toolCall?: { readonly name: string; readonly caller?: string };
  readonly runningToolCall?: { readonly name: string; readonly caller?: string };
  readonly caller?: string;
  readonly protocolVersion?: string;
}

export interface HandlerAdapterOptions {
  /** Where the server is defined (settings, an mcp.json path), for display and "always allow". */
  readonly serverSource?: (serverName: string) => string;
  readonly route?: SamplingRoute;
  /** Our own request id, unique per session (default: a random UUID). */
  readonly newRequestId?: () => string;
}

export function createSamplingHandler(
  pipeline: SamplingPipeline,
  options: HandlerAdapterOptions = {},
): (params: unknown, context: ConnectionSamplingContext) => Promise<SamplingResult | SamplingResultWithTools> {
  return (params, context) =>
    pipeline(params, {
      requestId: options.newRequestId?.() ?? randomUUID(),
      serverName: context.serverName,
      serverSource: options.serverSource?.(context.serverName) ?? 'settings',
      route: options.route ?? 'server-request',
      ...(context.protocolVersion ? { protocolVersion: context.protocolVersion } : {}),
      signal: context.signal,
      ...(context.toolCall ? { toolCall: context.toolCall } : {}),
      ...(context.runningToolCall ? { runningToolCall: context.runningToolCall } : {}),
      ...(context.caller !== undefined ? { caller: context.caller } : {}),
      ...(context.sendProgress ? { reportProgress: context.sendProgress } : {}),
    });
}
