/**
 * The pipeline end to end over the real SDK: an SDK Server sends `sampling/createMessage` to an SDK
 * Client (linked in memory) whose handler is the pipeline, answered by a scripted provider and a
 * scripted prompter (real implementations of the interfaces that decide programmatically).
 */
import { EchoProvider, type EchoOptions } from '../support/echoProvider';
import { FakePrompter } from '../support/fakePrompter';
import { PanelClosedError } from '../../src/core/approval/types';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CreateMessageRequestSchema,
  CreateMessageResultWithToolsSchema,
  McpError,
  type CreateMessageRequest,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { JsonlHistory } from '../../src/core/history/history';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type ApprovedDefinition, type SamplingSettings } from '../../src/core/sampling/settings';
import type { RequestServer } from '../../src/core/sampling/approvalScope';
import type { DeltaListener, ModelInfo, ModelProvider, ProviderRequest, ProviderResponse } from '../../src/core/sampling/types';
import { formatWarning } from '../../src/core/approval/warnings';

type Params = CreateMessageRequest['params'];

const never = <T>() => new Promise<T>(() => undefined);

const ECHO_MODELS: ModelInfo[] = [{ id: 'echo-small', family: 'echo', cost: 0.1, speed: 0.9, intelligence: 0.2 }, { id: 'echo-large', family: 'echo', cost: 0.9, speed: 0.3, intelligence: 0.9, maxInputTokens: 50 }];
/** Echoes the last user message as `echo(<n>): …` in two pieces; calls a tool when offered one and asked about weather. */
const PIPELINE_ECHO: EchoOptions = {
  models: ECHO_MODELS,
  answer: (said, call) => `echo(${call}): ${said}`,
  deltas: (answer) => [answer.slice(0, 5), answer.slice(5)],
  usage: { inputTokens: 3, outputTokens: 4 },
  callsWeatherTool: true,
};
const pipelineEcho = (options: EchoOptions = {}) => new EchoProvider({ ...PIPELINE_ECHO, ...options });

interface Setup {
  settings?: Partial<SamplingSettings>;
  prompter?: FakePrompter;
  providers?: ModelProvider[];
  clientTools?: boolean;
  history?: JsonlHistory;
  persisted?: (string | RequestServer)[];
  /** The server "srv" as a workspace defines it. */
  workspaceDefinition?: ApprovedDefinition;
}

async function connect(setup: Setup = {}) {
  const prompter = setup.prompter ?? new FakePrompter();
  const registry = new ProviderRegistry();
  const providers = setup.providers ?? [pipelineEcho()];
  for (const p of providers) registry.register(p);
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: providers[0]?.id ?? 'manual', reviewResponses: false, ...setup.settings };
  const policy = new SamplingPolicy();
  const pipeline = createSamplingPipeline({
    config: { get: () => settings },
    providers: registry,
    prompter,
    policy,
    history: setup.history,
    progressIntervalMs: 20,
    clientSupportsTools: () => setup.clientTools ?? true,
    persistAlwaysAllow: async (server) => {
      setup.persisted?.push(setup.workspaceDefinition ? server : server.serverName);
    },
    ...(setup.workspaceDefinition ? { workspaceDefinition: () => setup.workspaceDefinition } : {}),
  });
  let counter = 0;
  const handler = createSamplingHandler(pipeline, { serverSource: () => 'test settings', newRequestId: () => `req-${++counter}` });
  const client = new Client({ name: 'pipeline-test-client', version: '1.0.0' }, { capabilities: { sampling: setup.clientTools === false ? {} : { tools: {} } } });
  // The same bridge src/core/mcp/connection.ts builds: progress token -> sendProgress.
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    let progress = 0;
    return handler(request.params, {
      serverName: 'srv',
      requestId: extra.requestId,
      signal: extra.signal,
      ...(progressToken !== undefined
        ? { progressToken, sendProgress: (message?: string) => void extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: ++progress, message } }).catch(() => {}) }
        : {}),
    });
  });
  const server = new Server({ name: 'srv', version: '1.0.0' }, { capabilities: {} });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(clientTransport), server.connect(serverTransport)]);
  return { server, client, prompter, providers, settings, policy, close: async () => void (await Promise.all([client.close(), server.close()])) };
}

const ask = (text: string, extra: Partial<Params> = {}): Params => ({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 100, ...extra });

async function rejectsWith(promise: Promise<unknown>, code: number, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof McpError, `not an McpError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

test('ask mode: the prompter sees the request, approves it, the answer streams and comes back', async () => {
  const t = await connect();
  try {
    const result = await t.server.createMessage(ask('hello there'), { timeout: 10_000 });
    assert.deepEqual(result.content, { type: 'text', text: 'echo(1): hello there' });
    assert.equal(result.model, 'echo-small');
    assert.equal(result.stopReason, 'endTurn');
    assert.equal(t.prompter.approvals.length, 1);
    const approval = t.prompter.approvals[0];
    assert.equal(approval?.origin.serverName, 'srv');
    assert.equal(approval?.origin.serverSource, 'test settings');
    assert.deepEqual(approval?.providers.map((p) => p.id), ['echo', 'manual']);
    assert.match(approval?.choice.reason ?? '', /Echo/);
    const deltas = t.prompter.events.filter((e) => e.event.kind === 'delta').map((e) => (e.event.kind === 'delta' ? e.event.text : ''));
    assert.equal(deltas.join(''), 'echo(1): hello there');
    assert.deepEqual(t.prompter.closed(), [{ kind: 'closed', outcome: 'answered', reason: 'model echo-small' }]);
  } finally {
    await t.close();
  }
});

test('auto mode answers without asking; deny and per-server deny refuse with code -1 naming the setting', async () => {
  const t = await connect({ settings: { approval: 'auto' } });
  try {
    const result = await t.server.createMessage(ask('auto'), { timeout: 10_000 });
    assert.equal((result.content as { text: string }).text, 'echo(1): auto');
    assert.equal(t.prompter.approvals.length, 0);
    (t.settings as { approval: string }).approval = 'deny';
    await rejectsWith(t.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /mcpSampling\.approval = "deny"/);
    (t.settings as { approval: string }).approval = 'auto';
    (t.settings as { serverSampling: unknown }).serverSampling = { srv: { approval: 'deny' } };
    await rejectsWith(t.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /serverSampling\["srv"\]\.approval = "deny"/);
    assert.equal(t.prompter.approvals.length, 0);
  } finally {
    await t.close();
  }
});

test('auto is auto: answered without any person even with reviewResponses on; the server\'s own reviewResponses: true asks for a review', async () => {
  const t = await connect({ settings: { approval: 'auto', reviewResponses: true } });
  try {
    const quiet = await t.server.createMessage(ask('quietly'), { timeout: 10_000 });
    assert.equal(quiet.role, 'assistant');
    assert.equal(t.prompter.approvals.length, 0, 'auto mode asks no approval');
    assert.equal(t.prompter.reviews.length, 0, 'and no review: nobody has to be there');
    assert.deepEqual(t.prompter.sessions.map((o) => [o.request.origin.serverName, o.withPerson]), [['srv', false]]);
    (t.settings as { serverSampling: unknown }).serverSampling = { srv: { reviewResponses: true } };
    await t.server.createMessage(ask('show me'), { timeout: 10_000 });
    assert.equal(t.prompter.approvals.length, 0);
    assert.equal(t.prompter.reviews.length, 1, 'serverSampling["srv"].reviewResponses: true asks for the review');
    assert.equal(t.prompter.sessions[1]?.withPerson, true, 'the session is shown from the start when a person reviews');
  } finally {
    await t.close();
  }
});

test('review applies to answers a person approved (global reviewResponses), and a server can turn it off', async () => {
  const t = await connect({ settings: { approval: 'ask', reviewResponses: true } });
  try {
    await t.server.createMessage(ask('approved by a person'), { timeout: 10_000 });
    assert.equal(t.prompter.approvals.length, 1);
    assert.equal(t.prompter.reviews.length, 1);
    (t.settings as { serverSampling: unknown }).serverSampling = { srv: { reviewResponses: false } };
    await t.server.createMessage(ask('no review for this server'), { timeout: 10_000 });
    assert.equal(t.prompter.approvals.length, 2);
    assert.equal(t.prompter.reviews.length, 1, 'serverSampling["srv"].reviewResponses: false skips the review');
  } finally {
    await t.close();
  }
});

test('pause refuses every request without asking', async () => {
  const t = await connect({ settings: { paused: true } });
  try {
    await rejectsWith(t.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /mcpSampling\.paused/);
    assert.equal(t.prompter.approvals.length, 0);
    assert.deepEqual(t.prompter.sessions, [], 'a request refused by policy never reaches the approval UI (the history records it)');
  } finally {
    await t.close();
  }
});

test('"allow for this session" skips later approvals; "always" also persists', async () => {
  const persisted: (string | RequestServer)[] = [];
  let remember: 'session' | 'always' = 'session';
  const prompter = new FakePrompter({ approve: (r) => ({ kind: 'approve', params: r.params, choice: r.choice, remember }) });
  const t = await connect({ prompter, persisted });
  try {
    await t.server.createMessage(ask('one'), { timeout: 10_000 });
    await t.server.createMessage(ask('two'), { timeout: 10_000 });
    assert.equal(prompter.approvals.length, 1);
    assert.deepEqual(persisted, []);
    t.policy.revokeSession();
    remember = 'always';
    await t.server.createMessage(ask('three'), { timeout: 10_000 });
    await t.server.createMessage(ask('four'), { timeout: 10_000 });
    assert.equal(prompter.approvals.length, 2);
    assert.deepEqual(persisted, ['srv']);
  } finally {
    await t.close();
  }
});

test('a workspace server is asked despite a bare-name "auto" (the card says why); "Always allow" names its definition', async () => {
  // Red team round 3, item 1: before, serverSampling["srv"].approval = "auto" answered any repository's "srv" unseen.
  const definition = { source: '/repo/.vscode/mcp.json', fingerprint: 'f'.repeat(64) };
  const persisted: (string | RequestServer)[] = [];
  const prompter = new FakePrompter({ approve: (r) => ({ kind: 'approve', params: r.params, choice: r.choice, remember: 'always' }) });
  const t = await connect({ prompter, persisted, workspaceDefinition: definition, settings: { serverSampling: { srv: { approval: 'auto' } } } });
  try {
    await t.server.createMessage(ask('one'), { timeout: 10_000 });
    assert.equal(prompter.approvals.length, 1, 'a person was asked');
    assert.ok(prompter.approvals[0]?.warnings.map(formatWarning).some((w) => /approval is "auto" but names no definition, and "srv" is defined by a workspace \(\/repo\/\.vscode\/mcp\.json\)/.test(w)), 'the card says why');
    assert.deepEqual(persisted, [{ serverName: 'srv', workspaceDefinition: definition }]);
  } finally {
    await t.close();
  }
});

test('rejection reaches the server as code -1 with the reason', async () => {
  const prompter = new FakePrompter({ approve: () => ({ kind: 'reject', reason: 'not today' }) });
  const t = await connect({ prompter });
  try {
    await rejectsWith(t.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /rejected the sampling request: not today/);
    assert.equal(t.providers[0] instanceof EchoProvider && t.providers[0].requests.length, 0);
    assert.deepEqual(prompter.closed().map((e) => e.kind === 'closed' && e.outcome), ['rejected']);
  } finally {
    await t.close();
  }
});

test('limits are -32602 errors naming the setting; maxTokens is lowered to the cap', async () => {
  const t = await connect({ settings: { approval: 'auto', limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, maxMessages: 2, maxRequestBytes: 1024, maxTokensCap: 64 } } });
  try {
    const three: Params = { messages: [1, 2, 3].map((i) => ({ role: i === 2 ? 'assistant' : 'user', content: { type: 'text', text: `m${i}` } })) as Params['messages'], maxTokens: 10 };
    await rejectsWith(t.server.createMessage(three, { timeout: 10_000 }), -32602, /mcpSampling\.limits\.maxMessages/);
    await rejectsWith(t.server.createMessage(ask('x'.repeat(2000)), { timeout: 10_000 }), -32602, /mcpSampling\.limits\.maxRequestBytes/);
    await t.server.createMessage(ask('small', { maxTokens: 5000 }), { timeout: 10_000 });
    const echo = t.providers[0] as EchoProvider;
    assert.equal(echo.requests.at(-1)?.maxTokens, 64);
  } finally {
    await t.close();
  }
});

test('rate limit per server refuses past requestsPerMinute, naming the setting', async () => {
  const t = await connect({ settings: { approval: 'auto', limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, requestsPerMinute: 2 } } });
  try {
    await t.server.createMessage(ask('1'), { timeout: 10_000 });
    await t.server.createMessage(ask('2'), { timeout: 10_000 });
    await rejectsWith(t.server.createMessage(ask('3'), { timeout: 10_000 }), -1, /2 per minute \(mcpSampling\.limits\.requestsPerMinute\)/);
  } finally {
    await t.close();
  }
});

test('pending approvals are bounded per server; a server cancelling its request closes it as cancelled', async () => {
  const prompter = new FakePrompter({ approve: () => never() });
  const t = await connect({ prompter, settings: { limits: { ...DEFAULT_SAMPLING_SETTINGS.limits, maxPendingPerServer: 1 } } });
  try {
    // SDK 1.32 ignores notifications/cancelled for request id 0 (`if (!requestId) return`), and a
    // server's first request has id 0: spend it on a ping so the cancellation below is delivered.
    await t.server.ping();
    const controller = new AbortController();
    const first = t.server.createMessage(ask('wait'), { signal: controller.signal, timeout: 10_000 });
    first.catch(() => undefined);
    await prompter.when(() => prompter.approvals.length === 1);
    await rejectsWith(t.server.createMessage(ask('second'), { timeout: 10_000 }), -1, /mcpSampling\.limits\.maxPendingPerServer/);
    controller.abort('the tool call was cancelled');
    await assert.rejects(first);
    await prompter.when(() => prompter.closed().some((e) => e.kind === 'closed' && e.outcome === 'cancelled'));
    const cancelled = prompter.events.find((e) => e.event.kind === 'closed' && e.event.outcome === 'cancelled');
    assert.equal(cancelled?.id, prompter.approvals[0]?.origin.requestId);
    assert.match(cancelled?.event.kind === 'closed' ? cancelled.event.reason : '', /cancelled/);
    // The slot is free again once the cancelled request is gone.
    prompter.approvals.length = 0;
    const third = t.server.createMessage(ask('third'), { timeout: 10_000 });
    third.catch(() => undefined);
    await prompter.when(() => prompter.approvals.length === 1);
  } finally {
    await t.close();
  }
});

test('progress notifications keep reaching the server while a human decides', async () => {
  const progress: Progress[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const prompter = new FakePrompter({ approve: async (r) => (await released, { kind: 'approve', params: r.params, choice: r.choice }) });
  const t = await connect({ prompter });
  try {
    const answer = t.server.createMessage(ask('slow human'), {
      timeout: 10_000,
      onprogress: (p) => {
        progress.push(p);
        if (progress.length >= 3) release();
      },
    });
    const result = await answer;
    assert.equal((result.content as { text: string }).text, 'echo(1): slow human');
    assert.ok(progress.length >= 3);
    assert.match(progress[0]?.message ?? '', /approval/);
    assert.ok(progress.every((p, i) => i === 0 || p.progress > (progress[i - 1]?.progress ?? 0)));
  } finally {
    await t.close();
  }
});

test('review: regenerate, then accept with edited content; reject gives -1', async () => {
  const prompter = new FakePrompter({
    review: (_response, round) => (round === 1 ? { kind: 'regenerate' } : { kind: 'accept', content: { type: 'text', text: 'edited by the user' } }),
  });
  const t = await connect({ prompter, settings: { reviewResponses: true } });
  try {
    const result = await t.server.createMessage(ask('please'), { timeout: 10_000 });
    assert.deepEqual(result.content, { type: 'text', text: 'edited by the user' });
    assert.equal(prompter.reviews.length, 2);
    assert.deepEqual(prompter.reviews.map((r) => (r.content as { text: string }).text), ['echo(1): please', 'echo(2): please']);
  } finally {
    await t.close();
  }
  const rejecting = new FakePrompter({ review: () => ({ kind: 'reject', reason: 'wrong answer' }) });
  const t2 = await connect({ prompter: rejecting, settings: { reviewResponses: true } });
  try {
    await rejectsWith(t2.server.createMessage(ask('please'), { timeout: 10_000 }), -1, /rejected the answer: wrong answer/);
  } finally {
    await t2.close();
  }
});

/** Answers once, then fails every later request as an endpoint at its rate limit does. */
class FailsAfterFirst extends EchoProvider {
  constructor() {
    super(PIPELINE_ECHO);
  }

  override async complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse> {
    if (this.requests.length >= 1) {
      this.requests.push(request);
      onDelta('partial ');
      throw new Error('429 Too Many Requests');
    }
    return super.complete(request, onDelta, signal);
  }
}

test('review: a regeneration that fails keeps the answer under review, with the error shown; it can still be sent', async () => {
  const prompter = new FakePrompter({ review: (_response, round) => (round === 1 ? { kind: 'regenerate' } : { kind: 'accept', content: _response.content }) });
  const t = await connect({ prompter, providers: [new FailsAfterFirst()], settings: { reviewResponses: true } });
  try {
    const result = await t.server.createMessage(ask('keep me'), { timeout: 10_000 });
    assert.deepEqual(result.content, { type: 'text', text: 'echo(1): keep me' });
    assert.deepEqual(prompter.reviews.map((r) => (r.content as { text: string }).text), ['echo(1): keep me', 'echo(1): keep me'], 'the same answer reviewed again');
    const errors = prompter.events.filter((e) => e.event.kind === 'error').map((e) => (e.event as { message: string }).message);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^Regenerating failed: .*429 Too Many Requests\. The previous answer is shown again\.$/);
    assert.deepEqual(prompter.closed().map((e) => (e as { outcome: string }).outcome), ['answered']);
  } finally {
    await t.close();
  }
  // The first answer failing is still a failure: there is nothing to keep.
  const failing = new FailsAfterFirst();
  failing.requests.push({} as ProviderRequest);
  const t2 = await connect({ providers: [failing], settings: { reviewResponses: true } });
  try {
    await rejectsWith(t2.server.createMessage(ask('x'), { timeout: 10_000 }), -32603, /429 Too Many Requests/);
  } finally {
    await t2.close();
  }
});

test('a refusal by the panel (full, or gone before a typed reply) is not called the user\'s', async () => {
  const full = 'too many requests are waiting in the approval panel';
  const refusing = new FakePrompter({ approve: () => ({ kind: 'reject', reason: full, unasked: true }) });
  const t = await connect({ prompter: refusing });
  try {
    await rejectsWith(t.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /: Sampling refused without asking: too many requests are waiting in the approval panel$/);
  } finally {
    await t.close();
  }
  const reviewRefused = new FakePrompter({ review: () => ({ kind: 'reject', reason: full, unasked: true }) });
  const t2 = await connect({ prompter: reviewRefused, settings: { reviewResponses: true } });
  try {
    await rejectsWith(t2.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /The answer was not reviewed: too many requests/);
  } finally {
    await t2.close();
  }
  const closed = new FakePrompter({
    manual: () => {
      throw new PanelClosedError('the approval panel was closed');
    },
  });
  const t3 = await connect({ prompter: closed, providers: [], settings: { defaultProvider: 'manual' } });
  try {
    await rejectsWith(t3.server.createMessage(ask('x'), { timeout: 10_000 }), -1, /Sampling refused: the approval panel was closed/);
  } finally {
    await t3.close();
  }
});

test('the user may edit the request before approving; the provider gets the edit', async () => {
  const prompter = new FakePrompter({
    approve: (r) => ({ kind: 'approve', params: { ...r.params, messages: [{ role: 'user', content: { type: 'text', text: 'edited prompt' } }] }, choice: { ...r.choice, model: 'echo-large' } }),
  });
  const t = await connect({ prompter });
  try {
    const result = await t.server.createMessage(ask('original'), { timeout: 10_000 });
    assert.deepEqual(result.content, { type: 'text', text: 'echo(1): edited prompt' });
    assert.equal(result.model, 'echo-large');
  } finally {
    await t.close();
  }
});

test('stopReason comes from the provider (maxTokens), toolUse only with tool_use content', async () => {
  const t = await connect({ providers: [pipelineEcho({ stopReason: 'maxTokens' })], settings: { approval: 'auto' } });
  try {
    const result = await t.server.createMessage(ask('long'), { timeout: 10_000 });
    assert.equal(result.stopReason, 'maxTokens');
  } finally {
    await t.close();
  }
});

test('tools round trip: tool_use goes back to the server, then the tool_result gets a text answer', async () => {
  const t = await connect({ settings: { approval: 'auto' } });
  const tools = [{ name: 'weather', description: 'Weather by city', inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];
  try {
    const first = await t.server.createMessage(ask('what is the weather?', { tools, toolChoice: { mode: 'auto' } }), { timeout: 10_000 });
    assert.equal(first.stopReason, 'toolUse');
    assert.ok(Array.isArray(first.content));
    const toolUse = (first.content as { type: string; id: string; name: string; input: unknown }[])[0];
    assert.equal(toolUse?.type, 'tool_use');
    assert.deepEqual(toolUse?.input, { city: 'Paris' });
    const second = await t.server.createMessage(
      {
        messages: [
          { role: 'user', content: { type: 'text', text: 'what is the weather?' } },
          { role: 'assistant', content: [{ type: 'tool_use', id: toolUse?.id ?? '', name: 'weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: toolUse?.id ?? '', content: [{ type: 'text', text: 'sunny' }] }] },
        ],
        maxTokens: 100,
        tools,
      },
      { timeout: 10_000 },
    );
    assert.equal(second.stopReason, 'endTurn');
    assert.match(JSON.stringify(second.content), /sunny/);
  } finally {
    await t.close();
  }
});

test('tools are refused with -32602 when the client did not declare sampling.tools', async () => {
  const t = await connect({ clientTools: false, settings: { approval: 'auto' } });
  try {
    // Sent with a raw request: the SDK server helper would refuse before sending.
    const params = ask('weather?', { tools: [{ name: 'weather', inputSchema: { type: 'object' } }] });
    await rejectsWith(t.server.request({ method: 'sampling/createMessage', params }, CreateMessageResultWithToolsSchema, { timeout: 10_000 }), -32602, /sampling\.tools/);
  } finally {
    await t.close();
  }
});

test('images reach the provider; hidden characters and token limits become warnings', async () => {
  const prompter = new FakePrompter();
  const echo = pipelineEcho();
  const t = await connect({ prompter, providers: [echo] });
  try {
    const params: Params = {
      messages: [{ role: 'user', content: [{ type: 'text', text: 'describe\u202E this ' + 'word '.repeat(100) }, { type: 'image', data: Buffer.from('png-bytes').toString('base64'), mimeType: 'image/png' }] }],
      maxTokens: 100,
      modelPreferences: { hints: [{ name: 'LARGE' }] },
    };
    const result = await t.server.createMessage(params, { timeout: 10_000 });
    assert.match((result.content as { text: string }).text, /\[image\]/);
    const sent = echo.requests[0]?.messages[0]?.content;
    assert.ok(Array.isArray(sent) && sent[1]?.type === 'image' && sent[1].mimeType === 'image/png');
    const approval = prompter.approvals[0];
    assert.equal(approval?.choice.model, 'echo-large');
    assert.match(approval?.choice.reason ?? '', /hint "LARGE" matched echo-large/);
    assert.equal(approval?.maxInputTokens, 50);
    assert.ok((approval?.tokenEstimate ?? 0) > 50);
    assert.ok(approval?.warnings.map(formatWarning).some((w) => /U\+202E RIGHT-TO-LEFT OVERRIDE/.test(w)));
    assert.ok(approval?.warnings.map(formatWarning).some((w) => /more than the 50 that echo-large accepts/.test(w)));
  } finally {
    await t.close();
  }
});

test('manual provider: the typed reply is the answer; vscode-lm without models falls back to manual', async () => {
  const prompter = new FakePrompter({ manual: () => 'my own words' });
  const t = await connect({ prompter, providers: [pipelineEcho({ id: 'vscode-lm', models: [] })], settings: { defaultProvider: 'vscode-lm', reviewResponses: true } });
  try {
    const result = await t.server.createMessage(ask('hi'), { timeout: 10_000 });
    assert.deepEqual(result.content, { type: 'text', text: 'my own words' });
    assert.equal(result.model, 'manual');
    assert.equal(prompter.approvals[0]?.choice.providerId, 'manual');
    assert.match(prompter.approvals[0]?.choice.reason ?? '', /no language model/);
    assert.equal(prompter.reviews.length, 0, 'a typed reply is not reviewed again');
  } finally {
    await t.close();
  }
});

test('a failing provider closes the request as failed with its message', async () => {
  const failing: ModelProvider = {
    id: 'broken',
    label: 'Broken',
    listModels: async () => [{ id: 'b1' }],
    complete: async () => {
      throw new Error('upstream exploded (key sk-secret-123456)');
    },
  };
  const prompter = new FakePrompter();
  const registry = new ProviderRegistry();
  registry.register(failing);
  const pipeline = createSamplingPipeline({
    config: { get: () => ({ ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: 'broken', approval: 'auto' }) },
    providers: registry,
    prompter,
    secrets: () => ['sk-secret-123456'],
  });
  const ctx = { requestId: 'r1', serverName: 'srv', serverSource: 's', route: 'server-request' as const, signal: new AbortController().signal };
  await rejectsWith(pipeline(ask('x'), ctx), -32603, /upstream exploded \(key \[redacted\]\)/);
  assert.deepEqual(prompter.events.map((e) => e.event.kind), ['error', 'closed']);
  assert.doesNotMatch(JSON.stringify(prompter.events), /sk-secret/);
});

test('history records answered and rejected requests, original and edited', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sampling-history-'));
  try {
    const history = new JsonlHistory({ directory: dir, maxEntries: () => 100 });
    let rejectNext = false;
    const prompter = new FakePrompter({
      approve: (r) =>
        rejectNext
          ? { kind: 'reject', reason: 'no' }
          : { kind: 'approve', params: { ...r.params, systemPrompt: 'edited system' }, choice: r.choice },
    });
    const t = await connect({ prompter, history });
    try {
      await t.server.createMessage(ask('first'), { timeout: 10_000 });
      rejectNext = true;
      await assert.rejects(t.server.createMessage(ask('second'), { timeout: 10_000 }));
    } finally {
      await t.close();
    }
    const records = await history.read();
    assert.equal(records.length, 2);
    assert.equal(records[0]?.outcome, 'answered');
    assert.equal(records[0]?.decision, 'approved');
    assert.equal(records[0]?.request?.systemPrompt, undefined);
    assert.equal(records[0]?.editedRequest?.systemPrompt, 'edited system');
    assert.equal(records[0]?.model, 'echo-small');
    assert.deepEqual(records[0]?.usage, { inputTokens: 3, outputTokens: 4 });
    assert.ok((records[0]?.latencyMs ?? -1) >= 0);
    assert.equal(records[1]?.outcome, 'rejected');
    assert.equal(records[1]?.error?.code, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
