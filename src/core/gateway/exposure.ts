/**
 * Which servers the gateway offers to its callers. By default the servers of `mcpSampling.servers`;
 * `"gateway": false` hides one. Servers from `mcp.json` are already run by VS Code's own MCP client,
 * so they are offered only on opt-in (the setting, or `"gateway": true` on the definition); a server
 * of the workspace's `.vscode/mcp.json` never while the workspace is untrusted. A workspace's own
 * `"gateway": true` is the user's decision too: it is part of the consent fingerprint and named in the
 * consent modal (core/config/workspaceConsent), so the server does not run with it unless allowed. A definition pointing
 * at the gateway itself is never offered (it would call itself).
 */
import type { ServerDefinition } from '../config/serverDefinition';

/** Where a definition lives, as far as exposure cares. */
export type DefinitionOrigin = 'settings' | 'userMcpJson' | 'workspaceMcpJson' | 'other';

export interface ExposureContext {
  readonly exposeMcpJsonServers: boolean;
  readonly workspaceTrusted: boolean;
  /** The gateway's own port, when listening. */
  readonly gatewayPort?: number;
}

export function isExposed(definition: ServerDefinition, origin: DefinitionOrigin, context: ExposureContext): boolean {
  if (definition.gateway === false) return false;
  if (origin === 'workspaceMcpJson' && !context.workspaceTrusted) return false;
  if (origin !== 'settings' && !context.exposeMcpJsonServers && definition.gateway !== true) return false;
  return !pointsAtGateway(definition, context.gatewayPort);
}

function pointsAtGateway(definition: ServerDefinition, port: number | undefined): boolean {
  if (definition.type === 'stdio' || port === undefined) return false;
  try {
    const url = new URL(definition.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
    const urlPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return loopback && urlPort === port;
  } catch {
    return false;
  }
}
