/**
 * Where one sampling request came from. The connection fills it in; the same object travels to the
 * approval card and into the history record, so the origin fields are defined once.
 */

/** How a request reached us: server-initiated (2025-11-25), an input_required round (2026-07-28), or the gateway's OpenAI-compatible endpoint. */
export type SamplingRoute = 'server-request' | 'input-required' | 'openai-endpoint';

export interface RequestOrigin {
  /** Our own id for this request (unique per session), used by the panel and history. */
  readonly requestId: string;
  readonly serverName: string;
  /** Where the server is defined, for display and for "always allow" (e.g. a settings scope or an mcp.json path). */
  readonly serverSource: string;
  readonly route: SamplingRoute;
  /** The MCP revision of the connection it came over (`2026-07-28`, `2025-11-25`, …), when known. */
  readonly protocolVersion?: string;
  /** The tool call that was running on that server when the request arrived, when known. */
  readonly toolCall?: { readonly name: string; readonly caller?: string };
}

/** Just the origin fields of a wider object (a context carries a signal too). */
export function originOf(value: RequestOrigin): RequestOrigin {
  return {
    requestId: value.requestId,
    serverName: value.serverName,
    serverSource: value.serverSource,
    route: value.route,
    ...(value.protocolVersion !== undefined ? { protocolVersion: value.protocolVersion } : {}),
    ...(value.toolCall ? { toolCall: { name: value.toolCall.name, ...(value.toolCall.caller !== undefined ? { caller: value.toolCall.caller } : {}) } } : {}),
  };
}
