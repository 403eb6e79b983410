/**
 * One SDK client of a connection and what hangs on it: its transport, the revision spoken on it,
 * and what was installed on it (the close listener, the 2025-era protocol extensions). A connection
 * has one at a time; teardown ends it once, detaching what it owns (newest first) before the client
 * or transport is closed, and starts the next one empty.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { DisposableStore, toDisposable } from '../lifetime';
import type { ProtocolExtensions } from './protocolExtensions';
import type { SdkClient } from './sdk';

export class ClientSession {
  client: SdkClient | undefined;
  transport: Transport | undefined;
  /** The revision spoken on `client`. */
  version: string | undefined;
  private readonly owned = new DisposableStore();
  /** Why the session ended, for the tasks the extensions still run. */
  private endReason = '';

  /** The client a connect settled on; its protocol extensions (2025-era only) end with the session. */
  adopt(client: SdkClient, transport: Transport, extensions: ProtocolExtensions | undefined, version: string | undefined): void {
    this.client = client;
    this.transport = transport;
    this.version = version;
    if (extensions) this.owned.add(toDisposable(() => extensions.dispose(this.endReason)));
  }

  /** Calls `listener` when the client closes, until the session ends. */
  onClose(client: SdkClient, listener: () => void): void {
    client.onclose = listener;
    this.owned.add(toDisposable(() => (client.onclose = undefined)));
  }

  /** Detaches everything the session installed; the returned function closes its client (or bare transport). */
  end(reason: string): () => Promise<void> {
    this.endReason = reason;
    this.owned.dispose();
    const { client, transport } = this;
    return async () => {
      if (client) await client.close();
      else await transport?.close();
    };
  }
}
