// The version MCP peers see (clientInfo, the gateway's serverInfo) is the released one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PRODUCT_VERSION } from '../../src/core/version';

test('PRODUCT_VERSION equals package.json version', () => {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(PRODUCT_VERSION, manifest.version);
});
