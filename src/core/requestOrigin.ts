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
  /**
   * The tool call this request provably belongs to: it came in an `input_required` round of that
   * call. The card says "during tool call X".
   */
  readonly toolCall?: { readonly name: string; readonly caller?: string };
  /**
   * Not proven: the one tool call running on that server when the request arrived (a 2025-11-25
   * server may send a request at any time, so it may belong to none). The card says "while X was running".
   */
  readonly runningToolCall?: { readonly name: string; readonly caller?: string };
  /**
   * Who asked (a gateway caller) for the prompts/get or resources/read this request belongs to, or,
   * for a request that arrived while calls ran, the one caller all of them share; when no tool call
   * above names a caller.
   */
  readonly caller?: string;
}

/** Just the origin fields of a wider object (a context carries a signal too). */
export function originOf(value: RequestOrigin): RequestOrigin {
  return {
    requestId: value.requestId,
    serverName: value.serverName,
    serverSource: value.serverSource,
    route: value.route,
    ...(value.protocolVersion !== undefined ? { protocolVersion: value.protocolVersion } : {}),
    ...(value.toolCall ? { toolCall: attribution(value.toolCall) } : {}),
    ...(value.runningToolCall ? { runningToolCall: attribution(value.runningToolCall) } : {}),
    ...(value.caller !== undefined ? { caller: value.caller } : {}),
  };
}

function attribution(call: { readonly name: string; readonly caller?: string }): { readonly name: string; readonly caller?: string } {
  return { name: call.name, ...(call.caller !== undefined ? { caller: call.caller } : {}) };
}
