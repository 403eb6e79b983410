import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHeaderValue, headerParameters, paramHeaders } from '../../src/core/mcp/toolHeaders';

const schema = (properties: Record<string, unknown>) => ({ type: 'object', properties });

test('x-mcp-header marks on string, integer and boolean parameters are read; unmarked ones are not mirrored', () => {
  const parsed = headerParameters(schema({ region: { type: 'string', 'x-mcp-header': 'Region' }, n: { type: 'integer', 'x-mcp-header': 'N' }, on: { type: 'boolean', 'x-mcp-header': 'On' }, q: { type: 'string' } }));
  assert.ok(parsed.ok);
  assert.deepEqual([...parsed.params], [
    ['region', 'Region'],
    ['n', 'N'],
    ['on', 'On'],
  ]);
  assert.deepEqual(paramHeaders(parsed.params, { region: 'us-west1', n: 42, on: false, q: 'SELECT 1' }), { 'mcp-param-region': 'us-west1', 'mcp-param-n': '42', 'mcp-param-on': 'false' });
  // null and absent values send no header.
  assert.deepEqual(paramHeaders(parsed.params, { region: null }), {});
  assert.deepEqual(headerParameters(undefined), { ok: true, params: new Map() });
});

test('invalid x-mcp-header marks make the tool unusable, each with its reason', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ v: { type: 'string', 'x-mcp-header': '' } }, /empty or non-string/],
    [{ v: { type: 'string', 'x-mcp-header': 7 } }, /empty or non-string/],
    [{ v: { type: 'object', 'x-mcp-header': 'Data' } }, /string, integer and boolean parameters only/],
    [{ v: { type: 'number', 'x-mcp-header': 'Score' } }, /string, integer and boolean parameters only/],
    [{ v: { type: ['string', 'null'], 'x-mcp-header': 'Score' } }, /string, integer and boolean parameters only/],
    [{ a: { type: 'string', 'x-mcp-header': 'MyField' }, b: { type: 'string', 'x-mcp-header': 'myfield' } }, /used twice/],
    [{ v: { type: 'string', 'x-mcp-header': 'My Region' } }, /not a valid header name/],
    [{ v: { type: 'string', 'x-mcp-header': 'Region:Primary' } }, /not a valid header name/],
    [{ v: { type: 'string', 'x-mcp-header': 'Régión' } }, /not a valid header name/],
    [{ v: { type: 'string', 'x-mcp-header': 'A\nB' } }, /not a valid header name/],
  ];
  for (const [properties, reason] of cases) {
    const parsed = headerParameters(schema(properties));
    assert.equal(parsed.ok, false, JSON.stringify(properties));
    assert.match(parsed.ok ? '' : parsed.reason, reason);
  }
});

test('header values: plain printable ASCII as is, anything else in the Base64 sentinel', () => {
  assert.equal(encodeHeaderValue('us west 1'), 'us west 1');
  for (const value of ['Hello, 世界', ' padded ', 'line1\nline2', '\tindented', '=?base64?abc?=']) {
    const encoded = encodeHeaderValue(value);
    const inner = /^=\?base64\?(.*)\?=$/.exec(encoded);
    assert.ok(inner, `${JSON.stringify(value)} is sent as Base64`);
    assert.equal(Buffer.from(inner[1]!, 'base64').toString('utf8'), value);
  }
});
