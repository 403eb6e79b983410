import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientSession } from '../../src/core/mcp/clientSession';
import type { ProtocolExtensions } from '../../src/core/mcp/protocolExtensions';
import type { SdkClient } from '../../src/core/mcp/sdk';

function fakeClient(closed: string[]): SdkClient & { onclose?: (() => void) | undefined } {
  return { onclose: undefined, close: async () => void closed.push('client') } as unknown as SdkClient & { onclose?: (() => void) | undefined };
}

test("ending a session detaches the client's close listener and ends its extensions once, with the reason", async () => {
  const closed: string[] = [];
  const reasons: (string | undefined)[] = [];
  const extensions = { dispose: (reason?: string) => reasons.push(reason) } as unknown as ProtocolExtensions;
  const client = fakeClient(closed);
  const transport = { close: async () => void closed.push('transport') };
  const session = new ClientSession();
  session.adopt(client, transport as never, extensions, '2025-11-25');
  let heard = 0;
  session.onClose(client, () => heard++);
  client.onclose?.();
  assert.equal(heard, 1, "the listener is the client's while the session lasts");

  const close = session.end('The connection to "s" was closed.');
  assert.equal(client.onclose, undefined, 'a close after the end reaches no one');
  assert.deepEqual(reasons, ['The connection to "s" was closed.']);
  session.end('again');
  assert.deepEqual(reasons, ['The connection to "s" was closed.'], 'ended once');
  await close();
  assert.deepEqual(closed, ['client'], 'the client closes its own transport');
});

test('a session that never got a client closes its bare transport', async () => {
  const closed: string[] = [];
  const session = new ClientSession();
  session.transport = { close: async () => void closed.push('transport') } as never;
  await session.end('reason')();
  assert.deepEqual(closed, ['transport']);
});
