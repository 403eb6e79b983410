import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApprovalRequest } from '../../src/core/sampling/approvalRequest';
import type { ProviderCatalogEntry } from '../../src/core/sampling/modelSelection';
import type { SamplingContext, SamplingParams } from '../../src/core/sampling/types';
import { formatWarning } from '../../src/core/approval/warnings';

const ctx: SamplingContext = { requestId: 'r1', serverName: 'srv', serverSource: 'user', route: 'server-request', signal: new AbortController().signal };
const catalog: ProviderCatalogEntry[] = [
  { id: 'p', label: 'P', models: [{ id: 'small', maxInputTokens: 5 }, { id: 'big' }], defaultModel: 'big' },
  { id: 'manual', label: 'Manual reply', models: [{ id: 'manual' }] },
];
const params = (text: string): SamplingParams => ({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 10 });

test('the card learns the origin, the providers, a token estimate and the chosen model input limit', () => {
  const request = buildApprovalRequest(ctx, { params: params('hi'), bytes: 10 }, { providerId: 'p', model: 'small', reason: 'test' }, catalog, 42);
  assert.deepEqual(request.origin, { requestId: 'r1', serverName: 'srv', serverSource: 'user', route: 'server-request' });
  assert.deepEqual(request.providers.map((p) => p.id), ['p', 'manual']);
  assert.equal(request.maxInputTokens, 5);
  assert.equal(request.receivedAt, 42);
  assert.ok(request.tokenEstimate > 0);
  assert.deepEqual(request.warnings, []);
  assert.equal('maxInputTokens' in buildApprovalRequest(ctx, { params: params('hi'), bytes: 10 }, { providerId: 'p', model: 'big', reason: 'test' }, catalog, 0), false, 'no limit known, none claimed');
});

test('warnings: maxTokens lowered by a setting, a prompt over the model limit, hidden characters', () => {
  const request = buildApprovalRequest(
    ctx,
    { params: params(`a long prompt with a hidden \u202E override ${'word '.repeat(20)}`), bytes: 200, maxTokensLowered: { requested: 9000, cap: 10, setting: 'mcpSampling.limits.maxTokensCap' } },
    { providerId: 'p', model: 'small', reason: 'test' },
    catalog,
    0,
  );
  const english = request.warnings.map(formatWarning);
  assert.ok(english.includes('maxTokens lowered from 9000 to 10 by mcpSampling.limits.maxTokensCap'));
  assert.ok(english.some((w) => /more than the 5 that small accepts/.test(w)));
  assert.ok(english.some((w) => /U\+202E/.test(w)));
});
