/**
 * The gateway's catalog is built once and kept until something it is built from changes: a real
 * ConnectionManager with real fixture servers (stdio processes) whose tool lists change at run time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayCatalog } from '../../src/core/gateway/catalog';
import { silentLogger } from '../../src/core/logger';
import { ConnectionManager } from '../../src/core/mcp/connectionManager';
import { nextEvent } from '../support/waitFor';
import { fixtureDefinition, waitFor } from '../fixtures/fixtureServers';

describe('GatewayCatalog snapshot cache', () => {
  let manager: ConnectionManager;
  let catalog: GatewayCatalog;
  let exposeBeta = true;

  before(async () => {
    manager = new ConnectionManager({ logger: silentLogger, samplingHandler: async () => assert.fail('no sampling here'), killGraceMs: 500, reconnect: { maxAttempts: 0 } });
    await manager.update([fixtureDefinition('alpha', { source: 'settings' }), fixtureDefinition('beta', { source: 'settings' })]);
    await waitFor(() => manager.list().every((s) => s.status === 'connected') && manager.listTools('alpha').length > 0 && manager.listTools('beta').length > 0, 10_000, 'alpha and beta connected with their tools');
    catalog = new GatewayCatalog(manager, (status) => status.name !== 'beta' || exposeBeta);
  });

  after(async () => {
    catalog.dispose();
    await manager.dispose();
  });

  it('hands out the same snapshot while nothing changes', () => {
    const first = catalog.snapshot();
    assert.ok(first.tools.has('alpha__echo') && first.tools.has('beta__echo'), [...first.tools.keys()].join(', '));
    assert.equal(catalog.snapshot(), first);
  });

  it('builds a new one when a server’s tool list changes', async () => {
    const before = catalog.snapshot();
    const changed = nextEvent('alpha’s tools/list_changed', manager.onDidChangeLists, (name) => name === 'alpha', { timeoutMs: 10_000 });
    await manager.callTool('alpha', 'add_tool', {});
    await changed;
    // The manager re-lists the tools after the notice; the snapshot follows once they are in.
    const added = await waitFor(() => catalog.snapshot().tools.get('alpha__added_1'), 10_000, 'alpha__added_1 in the catalog');
    assert.equal(added.name, 'added_1');
    assert.notEqual(catalog.snapshot(), before);
    assert.ok(!before.tools.has('alpha__added_1'), 'the old snapshot is not changed in place');
  });

  it('builds a new one when a server disconnects, and when the owner says exposure changed', async () => {
    const connected = catalog.snapshot();
    await manager.disconnect('beta');
    const without = catalog.snapshot();
    assert.notEqual(without, connected);
    assert.ok(![...without.tools.keys()].some((n) => n.startsWith('beta__')));

    await manager.connect('beta');
    await waitFor(() => catalog.snapshot().tools.has('beta__echo'), 10_000, 'beta’s tools back in the catalog');
    exposeBeta = false;
    // The predicate changed without an event from the manager: the cached snapshot still has beta…
    assert.ok(catalog.snapshot().tools.has('beta__echo'));
    // …until the owner (the gateway, on a settings or trust change) invalidates it.
    catalog.invalidate();
    assert.ok(!catalog.snapshot().tools.has('beta__echo'));
  });
});
