/** Tool calls whose server answers `input_required` (2026-07-28 multi round-trip), against the rounds fixture. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Logger } from '../../src/core/logger';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { SamplingHandler, SamplingRequestContext } from '../../src/core/mcp/types';
import { parseServerDefinition, type ServerDefinition } from '../../src/core/config/serverDefinition';
import { repoRoot } from '../fixtures/fixtureServers';

const logger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function roundsDefinition(): ServerDefinition {
  const parsed = parseServerDefinition('rounds', { command: process.execPath, args: [path.join(repoRoot(), 'out', 'test', 'fixtures', 'roundsServer.js')] }, 'test');
  assert.ok(parsed.ok);
  return parsed.definition;
}

function textOf(result: { content: unknown }): string {
  return (result.content as { text?: string }[]).map((c) => c.text ?? '').join('');
}

test('embedded sampling, elicitation and roots requests are answered by the injected handlers, and the tool finishes', { timeout: 60_000 }, async () => {
  const serverRequests: SamplingRequestContext[] = [];
  const inputRequests: { params: unknown; ctx: SamplingRequestContext }[] = [];
  const direct: SamplingHandler = async (_params, ctx) => {
    serverRequests.push(ctx);
    throw new Error('not used for input_required');
  };
  const viaRounds: SamplingHandler = async (params, ctx) => {
    inputRequests.push({ params, ctx });
    const prompt = (params as { messages: { content: { text: string } }[] }).messages[0]!.content.text;
    return { role: 'assistant', content: { type: 'text', text: `answer to "${prompt}"` }, model: 'm', stopReason: 'endTurn' };
  };
  const elicited: unknown[] = [];
  const conn = new ServerConnection({
    definition: roundsDefinition(),
    logger,
    samplingHandler: direct,
    inputRequiredSamplingHandler: viaRounds,
    elicitationHandler: async (params) => {
      elicited.push(params);
      return { action: 'accept', content: { destination: 'Porto', nights: 2 } };
    },
    rootsSource: { listRoots: () => [{ uri: 'file:///a', name: 'a' }, { uri: 'file:///b', name: 'b' }] },
    killGraceMs: 500,
  });
  try {
    assert.equal((await conn.connect()).status, 'connected', conn.state.error);
    const summary = await conn.callTool('summarize', { text: 'a long story' });
    assert.equal(textOf(summary), 'Summary: answer to "Summarize: a long story"');
    assert.equal(inputRequests.length, 1);
    assert.deepEqual(inputRequests[0]!.ctx.toolCall, { name: 'summarize' });
    assert.equal(inputRequests[0]!.ctx.serverName, 'rounds');
    assert.match(String(inputRequests[0]!.ctx.requestId), /^summary#1$/);

    const plan = await conn.callTool('plan_trip', {});
    assert.equal(textOf(plan), 'Plan: answer to "Plan 2 nights in Porto for a user with 2 roots"');
    assert.equal(elicited.length, 1);
    assert.equal(serverRequests.length, 0, 'the server-request handler was not involved');
  } finally {
    await conn.close();
  }
});

test('an input kind without a handler ends the call with a clear error', { timeout: 60_000 }, async () => {
  const conn = new ServerConnection({
    definition: roundsDefinition(),
    logger,
    samplingHandler: async () => {
      throw new Error('unused');
    },
    killGraceMs: 500,
  });
  try {
    await conn.connect();
    await assert.rejects(conn.callTool('ask_unknown', {}), /tasks\/frobnicate/);
  } finally {
    await conn.close();
  }
});
