/**
 * The public API that `activate()` returns. Other extensions and this extension's own tests use it:
 *
 *   const api = vscode.extensions.getExtension<McpSamplingApi>('mcp-sampling.mcp-sampling-client')!.exports;
 *
 * It is deliberately small and versioned; it never exposes API keys.
 */
export interface McpSamplingApi {
  /** Bumped on breaking changes. */
  readonly apiVersion: 1;
  /** The servers known now, with their connection status. */
  listServers(): readonly ServerSnapshot[];
  /** Calls a tool on a connected server and returns its CallToolResult (same as the `mcpSampling.callTool` command with arguments). */
  callTool(serverName: string, toolName: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Sampling requests waiting in the approval panel. */
  pendingRequests(): readonly PendingRequestSnapshot[];
}

export interface ServerSnapshot {
  readonly name: string;
  readonly source: string;
  readonly status: 'disabled' | 'connecting' | 'connected' | 'disconnected' | 'error';
  readonly error?: string;
}

export interface PendingRequestSnapshot {
  readonly id: string;
  readonly serverName: string;
  readonly state: string;
}
