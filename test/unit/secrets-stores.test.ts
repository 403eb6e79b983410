// The caches in front of the editor's secret storage: the providers' API keys and the gateway's
// bearer token. A memory store stands in for SecretStorage, with reads that can be held or failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/events';
import { GatewayToken } from '../../src/core/gateway/gatewayToken';
import { ApiKeyStore } from '../../src/core/providers/apiKeyStore';
import type { SecretStore } from '../../src/core/secretStore';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  reads = 0;
  /** The next reads fail with this error (then reads work again). */
  failNextReads = 0;
  /** When set, reads wait for it before they answer. */
  gate: Promise<void> | undefined;
  private readonly changes = new Emitter<{ readonly key: string }>();
  readonly onDidChange = this.changes.event;

  async get(key: string): Promise<string | undefined> {
    this.reads++;
    const value = this.values.get(key); // what the store held when asked
    if (this.gate) await this.gate;
    if (this.failNextReads > 0) {
      this.failNextReads--;
      throw new Error('no keyring');
    }
    return value;
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changes.fire({ key });
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changes.fire({ key });
  }
  /** A change made by another window: the value changes and the event fires. */
  changeElsewhere(key: string, value: string): void {
    this.values.set(key, value);
    this.changes.fire({ key });
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('API keys: requests that wait for the same key share one read, and the key is registered for redaction', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('mcpSampling.apiKey.openai', 'sk-test-0123456789');
  const known: string[] = [];
  const keys = new ApiKeyStore(secrets, (value) => known.push(value));
  const gate = deferred();
  secrets.gate = gate.promise;
  const waiting = Array.from({ length: 20 }, () => keys.get('openai'));
  gate.resolve();
  assert.deepEqual(await Promise.all(waiting), Array(20).fill('sk-test-0123456789'));
  assert.equal(secrets.reads, 1);
  assert.deepEqual(known, ['sk-test-0123456789']);
  assert.equal(await keys.get('openai'), 'sk-test-0123456789');
  assert.equal(secrets.reads, 1, 'a later request uses the key read before');
});

test('API keys: a failed read reaches its callers and is not kept; the next request reads again', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('mcpSampling.apiKey.openai', 'sk-test-0123456789');
  const keys = new ApiKeyStore(secrets, () => undefined);
  secrets.failNextReads = 1;
  await assert.rejects(keys.get('openai'), /no keyring/);
  assert.equal(await keys.get('openai'), 'sk-test-0123456789');
  assert.equal(secrets.reads, 2);
});

test('API keys: a key set while a read is in flight is not overwritten by the older value', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('mcpSampling.apiKey.openai', 'sk-old-0123456789');
  const keys = new ApiKeyStore(secrets, () => undefined);
  const gate = deferred();
  secrets.gate = gate.promise;
  const inFlight = keys.get('openai');
  await keys.set('openai', 'sk-new-0123456789');
  gate.resolve();
  assert.equal(await inFlight, 'sk-old-0123456789', 'the request that asked first gets what the store held then');
  secrets.gate = undefined;
  assert.equal(await keys.get('openai'), 'sk-new-0123456789');
});

test('API keys: an empty key deletes it, and a change in another window is read again', async () => {
  const secrets = new MemorySecrets();
  const keys = new ApiKeyStore(secrets, () => undefined);
  const watching = keys.watch();
  await keys.set('openai', 'sk-first-0123456789');
  assert.equal(secrets.values.get('mcpSampling.apiKey.openai'), 'sk-first-0123456789');
  secrets.changeElsewhere('mcpSampling.apiKey.openai', 'sk-other-window-0123');
  assert.equal(await keys.get('openai'), 'sk-other-window-0123');
  await keys.set('openai', '');
  assert.equal(secrets.values.has('mcpSampling.apiKey.openai'), false);
  assert.equal(await keys.get('openai'), undefined);
  watching.dispose();
  secrets.changeElsewhere('mcpSampling.apiKey.openai', 'sk-after-dispose-0123');
  assert.equal(await keys.get('openai'), undefined, 'after dispose the cache no longer follows the store');
});

test('gateway token: created on first use, long and stored; a short stored value is replaced', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('gw', 'short');
  const known: string[] = [];
  const token = new GatewayToken(secrets, 'gw', (value) => known.push(value));
  assert.equal(token.current, '', 'no request passes before the token is loaded');
  const value = await token.load();
  assert.ok(value.length >= 32);
  assert.equal(secrets.values.get('gw'), value);
  assert.equal(token.current, value);
  assert.ok(known.includes(value));
  token.dispose();
});

test('gateway token: a failed read is not kept, and a rejection from the change listener is handled', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('gw', 'a'.repeat(40));
  const token = new GatewayToken(secrets, 'gw', () => undefined);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    secrets.failNextReads = 1;
    await assert.rejects(token.load(), /no keyring/);
    assert.equal(await token.load(), 'a'.repeat(40), 'the next caller reads again');
    // Another window changes it while the keyring fails: the listener's read fails quietly.
    secrets.failNextReads = 1;
    secrets.changeElsewhere('gw', 'b'.repeat(40));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
    assert.equal(token.current, 'a'.repeat(40), 'the token in hand stays until a new one is read');
    assert.equal(await token.load(), 'b'.repeat(40));
  } finally {
    process.off('unhandledRejection', onUnhandled);
    token.dispose();
  }
});

test('gateway token: rotation replaces it at once and fires; a change in another window is followed', async () => {
  const secrets = new MemorySecrets();
  const token = new GatewayToken(secrets, 'gw', () => undefined);
  const first = await token.load();
  let changes = 0;
  token.onDidChange(() => changes++);
  const rotated = await token.rotate();
  assert.notEqual(rotated, first);
  assert.equal(token.current, rotated);
  assert.equal(secrets.values.get('gw'), rotated);
  assert.ok(changes >= 1);
  const before = changes;
  secrets.changeElsewhere('gw', 'c'.repeat(40));
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(token.current, 'c'.repeat(40));
  assert.ok(changes > before, 'a change from another window fires too');
  token.dispose();
});

test('gateway token: a read in flight when the token is rotated does not bring the old token back', async () => {
  const secrets = new MemorySecrets();
  secrets.values.set('gw', 'd'.repeat(40));
  const token = new GatewayToken(secrets, 'gw', () => undefined);
  const gate = deferred();
  secrets.gate = gate.promise;
  const reading = token.load();
  secrets.gate = undefined;
  const rotated = await token.rotate();
  gate.resolve();
  await reading;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(token.current, rotated);
  token.dispose();
});
