import { test } from 'node:test';
import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { historyDecision, historyRecord, newRunFacts } from '../../src/core/sampling/runRecord';
import type { SamplingContext, SamplingParams } from '../../src/core/sampling/types';

const params: SamplingParams = { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 };
const choice = { providerId: 'echo', model: 'echo-1', reason: 'default' };
const ctx: SamplingContext = { requestId: 'r1', serverName: 's', serverSource: 'user', route: 'server-request', signal: new AbortController().signal };

test('the decision follows how far the run got, how it was admitted and what the person said', () => {
  const facts = newRunFacts(0);
  assert.equal(historyDecision(facts), 'invalid');
  facts.request = params;
  assert.equal(historyDecision(facts), 'refused', 'valid but not admitted');
  facts.admission = { mode: 'auto', reason: { kind: 'setting', setting: 'mcpSampling.approval' } };
  assert.equal(historyDecision(facts), 'auto');
  facts.admission = { mode: 'auto', reason: { kind: 'allowed-for-session' } };
  assert.equal(historyDecision(facts), 'session');
  facts.admission = { mode: 'ask', reason: { kind: 'setting', setting: 'mcpSampling.approval' } };
  assert.equal(historyDecision(facts), 'pending', 'ended while waiting for the person');
  facts.approval = { kind: 'approve', params, choice };
  assert.equal(historyDecision(facts), 'approved');
  facts.approval = { kind: 'reject', reason: 'no' };
  assert.equal(historyDecision(facts), 'rejected');
  facts.approval = { kind: 'reject', unasked: true };
  assert.equal(historyDecision(facts), 'refused', 'the panel refused without a person');
});

test('the record carries the result only when there is one, and the error as code and message', () => {
  const facts = newRunFacts(100);
  facts.request = params;
  facts.admission = { mode: 'auto', reason: { kind: 'setting', setting: 'mcpSampling.approval' } };
  facts.choice = choice;
  const failed = historyRecord(ctx, facts, 150, 'failed', new McpError(-32603, 'boom'));
  assert.equal(failed.result, undefined);
  assert.deepEqual(failed.error, { code: -32603, message: 'boom' });
  assert.equal(failed.latencyMs, 50);
  facts.response = { model: 'echo-1', content: { type: 'text', text: 'hi' }, stopReason: 'endTurn' };
  facts.content = { type: 'text', text: 'edited' };
  facts.contentEdited = true;
  const answered = historyRecord(ctx, facts, 200, 'answered');
  assert.deepEqual(answered.result, { content: { type: 'text', text: 'edited' }, stopReason: 'endTurn', edited: true, regenerations: 0 });
  assert.equal(answered.model, 'echo-1');
  assert.equal(answered.decision, 'auto');
  assert.equal(answered.error, undefined);
});
