/**
 * The endpoint's keys in the secret store: a client key per name, one key per server definition,
 * authentication by bearer, revocation one by one, and Rotate (client keys revoked, server keys
 * replaced). A memory store stands in for SecretStorage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/events';
import { checkKeyName, LLM_KEYS_SECRET, LlmCallerKeys } from '../../src/core/gateway/openai/callerKeys';
import type { SecretStore } from '../../src/core/secretStore';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  private readonly changes = new Emitter<{ readonly key: string }>();
  readonly onDidChange = this.changes.event;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
    this.changes.fire({ key });
  }
  async delete(key: string) {
    this.values.delete(key);
    this.changes.fire({ key });
  }
}

test('client and server keys: authenticate, revoke one by one, rotate, and only the secret store holds them', async () => {
  const secrets = new MemorySecrets();
  const redacted: string[] = [];
  const keys = new LlmCallerKeys(secrets, (v) => redacted.push(v));
  const script = await keys.createClientKey('  my script ');
  const notebook = await keys.createClientKey('notebook');
  const server = await keys.serverKey('weather');
  assert.equal(await keys.serverKey('weather'), server, 'one key per definition, kept');
  assert.notEqual(script, notebook);
  assert.ok(redacted.includes(script) && redacted.includes(server), 'every key is registered with the log redaction');

  assert.equal(keys.authenticate(`Bearer ${script}`)?.name, 'my script');
  assert.equal(keys.authenticate(`Bearer ${server}`)?.kind, 'server');
  assert.equal(keys.authenticate('Bearer nope'), undefined);
  assert.equal(keys.authenticate(undefined), undefined);

  await keys.revoke(keys.list().find((k) => k.name === 'my script')!.id);
  assert.equal(keys.authenticate(`Bearer ${script}`), undefined, 'a revoked key is refused');
  assert.equal(keys.authenticate(`Bearer ${notebook}`)?.name, 'notebook', 'the others keep working');

  // Another window reads the same store.
  const other = new LlmCallerKeys(secrets, () => undefined);
  await other.load();
  assert.deepEqual(other.list().map((k) => k.name).sort(), ['notebook', 'weather']);

  assert.deepEqual(await keys.rotateAll(), ['weather']);
  assert.equal(keys.authenticate(`Bearer ${notebook}`), undefined, 'Rotate revokes client keys');
  assert.equal(keys.authenticate(`Bearer ${server}`), undefined, 'and replaces server keys');
  const rotated = await keys.serverKey('weather');
  assert.notEqual(rotated, server);
  assert.equal(keys.authenticate(`Bearer ${rotated}`)?.name, 'weather');
  assert.deepEqual([...secrets.values.keys()], [LLM_KEYS_SECRET]);
});

test('key names: trimmed, bounded, visible, unique', () => {
  const taken = (n: string) => n === 'weather';
  assert.equal(checkKeyName(' ok ', taken), undefined);
  assert.match(checkKeyName('', taken)!, /Type a name/);
  assert.match(checkKeyName('weather', taken)!, /already/);
  assert.match(checkKeyName('a\u200bb', taken)!, /invisible/);
  assert.match(checkKeyName('x'.repeat(65), taken)!, /At most/);
});
