/**
 * The multi round-trip driver against a real SDK server that answers `input_required`
 * (test/fixtures/roundsServer.ts, linked in memory to a real SDK Client): embedded sampling goes
 * through the real approval pipeline with route `input-required`, the state is echoed, and every
 * bound (rounds, requests per round, unknown kinds, abort) holds.
 */
import { waitFor } from '../support/waitFor';
import { echoInAngles, EchoProvider } from '../support/echoProvider';
import { FakePrompter, type Decide } from '../support/fakePrompter';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createElicitationResponder, headlessElicitationPrompter } from '../../src/core/rounds/elicitation';
import { InputRequiredProtocolError, parseInputRequired, retryParams } from '../../src/core/rounds/inputRequired';
import { InputRoundError, runWithInputRounds, type InputRequestHandlers } from '../../src/core/rounds/roundHandler';
import { sdkRoundCall } from '../../src/core/mcp/sdkRoundCall';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import { createRoundsServer } from '../fixtures/roundsServer';

async function setup(decide?: Decide) {
  const { server, calls } = createRoundsServer();
  const client = new Client({ name: 'rounds-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  const prompter = new FakePrompter(decide ? { approve: decide } : {});
  const provider = new EchoProvider({ answer: echoInAngles });
  const registry = new ProviderRegistry();
  registry.register(provider);
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, approval: 'ask', defaultProvider: 'echo', reviewResponses: false };
  const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter });
  let n = 0;
  // As the extension wires it (samplingRuntime): the pipeline's own adapter, route input-required.
  const handleSampling = createSamplingHandler(pipeline, { serverSource: () => 'test', route: 'input-required', newRequestId: () => `in-${++n}` });
  const respondElicitation = createElicitationResponder(headlessElicitationPrompter);
  const handlers: InputRequestHandlers = {
    'sampling/createMessage': (params, ctx) => handleSampling(params, { serverName: 'rounds', requestId: ctx.key, signal: ctx.signal, ...(ctx.toolName ? { toolCall: { name: ctx.toolName } } : {}) }),
    'roots/list': async () => ({ roots: [{ uri: 'file:///work/a', name: 'a' }] }),
    'elicitation/create': (params, ctx) => respondElicitation(params, 'rounds', ctx.signal),
  };
  const callTool = (name: string, args: Record<string, unknown> = {}, options: Parameters<typeof runWithInputRounds>[4] = {}, use = handlers) =>
    runWithInputRounds('tools/call', { name, arguments: args }, sdkRoundCall(client, 'tools/call'), use, { stateOnlyDelayMs: 1, ...options }) as Promise<{
      content: { type: string; text: string }[];
      isError?: boolean;
    }>;
  return { client, server, calls, prompter, provider, handlers, callTool, close: () => Promise.all([client.close(), server.close()]) };
}

test('sampling inside an input_required round reaches the approval pipeline with route input-required', async () => {
  const s = await setup();
  try {
    const result = await s.callTool('summarize', { text: 'the long report' });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.equal(result.content[0]?.text, 'Summary: echo<Summarize: the long report>');
    assert.equal(s.prompter.approvals.length, 1);
    const approval = s.prompter.approvals[0]!;
    assert.equal(approval.origin.route, 'input-required');
    assert.equal(approval.origin.serverName, 'rounds');
    assert.deepEqual(approval.origin.toolCall, { name: 'summarize' });
    assert.equal(approval.origin.requestId, 'in-1');
    // Two legs; the retry echoed the server's state byte for byte and carried the sampling result.
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[0]!.requestState, undefined);
    assert.equal(typeof s.calls[1]!.requestState, 'string');
    const sent = s.calls[1]!.inputResponses as { summary: { role: string; model: string } };
    assert.equal(sent.summary.role, 'assistant');
    assert.equal(sent.summary.model, 'echo-1');
    assert.ok(s.prompter.closed().some((e) => e.outcome === 'answered'));
  } finally {
    await s.close();
  }
});

test('two rounds: roots and a form (defaults) first, then sampling built from the answers', async () => {
  const s = await setup();
  try {
    const result = await s.callTool('plan_trip');
    assert.equal(result.content[0]?.text, 'Plan: echo<Plan 3 nights in Lisbon for a user with 1 roots>');
    assert.equal(s.calls.length, 3);
    const first = s.calls[1]!.inputResponses as { where: unknown; form: unknown };
    assert.deepEqual(first.where, { roots: [{ uri: 'file:///work/a', name: 'a' }] });
    assert.deepEqual(first.form, { action: 'accept', content: { destination: 'Lisbon', nights: 3 } });
    // The second retry carries only the second round's answer, and the state of the second round.
    assert.deepEqual(Object.keys(s.calls[2]!.inputResponses as object), ['plan']);
    assert.notEqual(s.calls[2]!.requestState, s.calls[1]!.requestState);
    assert.equal(s.prompter.approvals[0]?.origin.route, 'input-required');
  } finally {
    await s.close();
  }
});

test('a rejected approval fails the call with the reason and sends no retry', async () => {
  const s = await setup(() => ({ kind: 'reject', reason: 'not today' }));
  try {
    await assert.rejects(s.callTool('summarize', { text: 'x' }), (error: unknown) => {
      assert.ok(error instanceof InputRoundError);
      assert.equal(error.round, 1);
      assert.match(error.message, /tools\/call summarize: round 1 failed: .*rejected.*not today/);
      return true;
    });
    assert.equal(s.calls.length, 1);
  } finally {
    await s.close();
  }
});

test('a state-only round is retried with the state and no inputResponses', async () => {
  const s = await setup();
  try {
    const result = await s.callTool('busy');
    assert.equal(result.content[0]?.text, 'done after retry');
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[1]!.inputResponses, undefined);
    assert.equal(typeof s.calls[1]!.requestState, 'string');
  } finally {
    await s.close();
  }
});

test('rounds are bounded', async () => {
  const s = await setup();
  try {
    await assert.rejects(s.callTool('endless', {}, { maxRounds: 3 }), (error: unknown) => {
      assert.ok(error instanceof InputRoundError);
      assert.match(error.message, /still asked for input after 3 rounds/);
      return true;
    });
    assert.equal(s.calls.length, 4);
  } finally {
    await s.close();
  }
});

test('unknown kinds and kinds without a handler are refused clearly, before anything runs', async () => {
  const s = await setup();
  try {
    await assert.rejects(s.callTool('ask_unknown'), /asked for "tasks\/frobnicate" \(input "mystery"\), which this client does not support/);
    const { 'elicitation/create': _dropped, ...withoutElicitation } = s.handlers;
    await assert.rejects(s.callTool('plan_trip', {}, {}, withoutElicitation), /asked for "elicitation\/create" \(input "form"\), which this client does not support/);
    assert.equal(s.prompter.approvals.length, 0);
    assert.equal(s.calls.length, 2);
  } finally {
    await s.close();
  }
});

test('too many inputs in one round are refused', async () => {
  const s = await setup();
  try {
    await assert.rejects(s.callTool('flood', { count: 100 }), /asked for 100 inputs in one round, more than the 16 accepted/);
    const result = await s.callTool('flood', { count: 16 });
    assert.equal(result.content[0]?.text, 'flood answered 16');
  } finally {
    await s.close();
  }
});

test('aborting the call while the approval waits cancels the sampling request and rejects with the reason', async () => {
  const s = await setup(() => 'wait');
  try {
    const controller = new AbortController();
    const pending = s.callTool('summarize', { text: 'x' }, { signal: controller.signal });
    await waitFor('not (s.prompter.approvals.length === 0)', () => !(s.prompter.approvals.length === 0), { timeoutMs: 5000 });
    assert.equal(s.prompter.approvals.length, 1);
    controller.abort(new Error('user closed the tool call'));
    await assert.rejects(pending, /user closed the tool call/);
    assert.equal(s.prompter.approvalSignals[0]?.aborted, true);
    await waitFor('the closed event', () => s.prompter.closed().length > 0, { timeoutMs: 5000 });
    assert.ok(s.prompter.closed().some((e) => e.outcome === 'cancelled'));
    assert.equal(s.calls.length, 1);
  } finally {
    await s.close();
  }
});

test('URL-mode elicitation without a human is declined and sends no content', async () => {
  const s = await setup();
  try {
    const result = await s.callTool('open_link');
    assert.equal(result.content[0]?.text, 'link: decline');
  } finally {
    await s.close();
  }
});

test('parseInputRequired checks the shape and the limits', () => {
  assert.equal(parseInputRequired({ content: [] }), undefined);
  assert.equal(parseInputRequired({ resultType: 'complete', content: [] }), undefined);
  assert.equal(parseInputRequired('nope'), undefined);
  const bad: [unknown, RegExp][] = [
    [{ resultType: 'later' }, /unknown resultType "later"/],
    [{ resultType: 'input_required' }, /must carry inputRequests or requestState/],
    [{ resultType: 'input_required', inputRequests: {} }, /must carry inputRequests or requestState/],
    [{ resultType: 'input_required', requestState: 42 }, /requestState must be a string/],
    [{ resultType: 'input_required', inputRequests: [] }, /must be an object keyed/],
    [{ resultType: 'input_required', inputRequests: { a: 'roots/list' } }, /inputRequests\["a"\] must be an object with a string method/],
    [{ resultType: 'input_required', inputRequests: { a: { method: 'roots/list', params: [1] } } }, /params must be an object/],
    [{ resultType: 'input_required', requestState: 'x'.repeat(11) }, /11 characters, more than the 10/],
  ];
  for (const [value, pattern] of bad) {
    assert.throws(() => parseInputRequired(value, { maxRequestsPerRound: 4, maxRequestStateLength: 10, maxKeyLength: 8 }), (e: unknown) => e instanceof InputRequiredProtocolError && pattern.test(e.message));
  }
  const parsed = parseInputRequired({ resultType: 'input_required', inputRequests: { a: { method: 'roots/list' } }, requestState: 's' });
  assert.deepEqual(parsed, { requests: [{ key: 'a', method: 'roots/list', params: {} }], requestState: 's' });
});

test('retryParams keeps the original params and only this round\'s responses and state', () => {
  assert.deepEqual(retryParams({ name: 't', arguments: { a: 1 }, inputResponses: { old: {} }, requestState: 'old' }, { k: { roots: [] } }, 'new'), {
    name: 't',
    arguments: { a: 1 },
    inputResponses: { k: { roots: [] } },
    requestState: 'new',
  });
  assert.deepEqual(retryParams({ name: 't' }, undefined, 'st'), { name: 't', requestState: 'st' });
  assert.deepEqual(retryParams({ name: 't' }, {}, undefined), { name: 't' });
});
