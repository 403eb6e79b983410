import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactSecrets, SecretRegistry } from '../../src/core/secrets';
import { scrubSecrets } from '../../src/core/providers/providerError';
import { redactSecrets as variablesRedact } from '../../src/core/config/variables';

test('a secret that is a prefix of another is redacted without leaving the longer one\'s tail', () => {
  const registry = new SecretRegistry();
  registry.register('sk-abcd');
  registry.register('sk-abcd-efgh-tail');
  assert.equal(registry.redact('key sk-abcd-efgh-tail and sk-abcd'), `key ${REDACTED} and ${REDACTED}`);
  assert.deepEqual(registry.values(), ['sk-abcd-efgh-tail', 'sk-abcd']);
});

test('JSON-escaped forms are redacted too', () => {
  const secret = 'pa"ss\\word\n';
  const registry = new SecretRegistry();
  registry.register(secret);
  const line = JSON.stringify({ header: `Bearer ${secret}` });
  assert.ok(line.includes(JSON.stringify(secret).slice(1, -1)), 'the serialized line carries the escaped form');
  const redacted = registry.redact(line);
  assert.equal(JSON.parse(redacted).header, `Bearer ${REDACTED}`);
  assert.equal(registry.redact(`raw ${secret}`), `raw ${REDACTED}`);
});

test('short and empty values are ignored, duplicates kept once, and nothing registered changes nothing', () => {
  const registry = new SecretRegistry();
  assert.equal(registry.redact('abc def'), 'abc def');
  registry.register('');
  registry.register(undefined);
  registry.register('abc');
  registry.register('abcd');
  registry.register('abcd');
  assert.equal(registry.size, 1);
  assert.equal(registry.redact('abc abcd'), `abc ${REDACTED}`);
});

test('every redaction entry point is the same function (one marker, longest first)', () => {
  const secrets = ['abcd', 'abcdefgh'];
  const expected = `key=${REDACTED} and ${REDACTED}`;
  assert.equal(redactSecrets('key=abcdefgh and abcd', secrets), expected);
  assert.equal(scrubSecrets('key=abcdefgh and abcd', [undefined, ...secrets]), expected);
  assert.equal(variablesRedact('key=abcdefgh and abcd', new Set(secrets)), expected);
  assert.equal(redactSecrets('nothing', []), 'nothing');
});
