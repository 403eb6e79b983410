/**
 * A 2026-07-28 client over the SDK v1 `Client`: it connects the transport without `initialize`
 * (the base `Protocol.connect`), adopts what `server/discover` said (capabilities, identity,
 * instructions), and puts the per-request `_meta` envelope on every request and notification. Its
 * list, call and request methods are the SDK's own. Two private members are set (the SDK has no
 * setter for what `initialize` would have filled in); when that no longer works it throws.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation } from '@modelcontextprotocol/sdk/types.js';
import { withEnvelope, type DiscoveredServer } from './discovery';
import type { ClientSdk, SdkClient } from './sdk';

export interface ModernClientOptions {
  readonly clientInfo: Implementation;
  readonly capabilities: ClientCapabilities;
  readonly envelope: Record<string, unknown>;
  readonly version: string;
  readonly server: DiscoveredServer;
}

/** Thrown when the installed SDK cannot be driven this way; the message says what changed. */
export class SdkPatchError extends Error {
  override readonly name = 'SdkPatchError';
}

export function createModernClient(sdk: ClientSdk, options: ModernClientOptions): SdkClient {
  const protocolConnect = (Object.getPrototypeOf(sdk.Client.prototype) as { connect?: unknown }).connect;
  if (typeof protocolConnect !== 'function') throw new SdkPatchError('The MCP SDK has no Protocol.connect: cannot connect without initialize (2026-07-28).');
  const client = new sdk.Client(options.clientInfo, { capabilities: options.capabilities });
  const request = client.request.bind(client);
  const notification = client.notification.bind(client);
  client.request = ((message: { method: string; params?: unknown }, ...rest: unknown[]) =>
    (request as (...args: unknown[]) => unknown)(withEnvelope(message, options.envelope), ...rest)) as typeof client.request;
  client.notification = ((message: { method: string; params?: unknown }, ...rest: unknown[]) =>
    (notification as (...args: unknown[]) => Promise<void>)(withEnvelope(message, options.envelope), ...rest)) as typeof client.notification;
  client.connect = async (transport: Transport) => {
    await (protocolConnect as (this: SdkClient, transport: Transport) => Promise<void>).call(client, transport);
    (transport as Transport & { setProtocolVersion?: (version: string) => void }).setProtocolVersion?.(options.version);
    adoptDiscovery(client, options.server);
  };
  return client;
}

/** Fills in what `initialize` would have: the server's capabilities, identity and instructions. */
function adoptDiscovery(client: SdkClient, server: DiscoveredServer): void {
  const capabilities = { ...server.capabilities };
  Object.assign(client as unknown as Record<string, unknown>, {
    _serverCapabilities: capabilities,
    _serverVersion: server.serverInfo,
    _instructions: server.instructions,
  });
  if (client.getServerCapabilities() !== capabilities) {
    throw new SdkPatchError('The MCP SDK Client no longer keeps server capabilities in _serverCapabilities: cannot adopt server/discover (2026-07-28).');
  }
}
