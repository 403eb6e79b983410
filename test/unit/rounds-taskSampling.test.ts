/**
 * Task-augmented sampling (2025-11-25) on the SDK v1 Client: the runner answers with a task, runs the
 * real approval pipeline in the background, and the SDK serves tasks/get and tasks/result. Against
 * server-everything's trigger-sampling-request-async over stdio, and an in-memory SDK Server for
 * cancellation, failure and the running bound.
 */
import { waitFor } from '../support/waitFor';
import { echoInAngles, EchoProvider } from '../support/echoProvider';
import { FakePrompter } from '../support/fakePrompter';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CreateMessageRequestSchema, CreateTaskResultSchema, GetTaskResultSchema, CancelTaskResultSchema, ResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { SamplingTaskRunner } from '../../src/core/rounds/taskSampling';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { SAMPLING_REFUSED } from '../../src/core/sampling/errors';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import { everythingServerPath } from '../fixtures/fixtureServers';

const provider = new EchoProvider({ answer: echoInAngles });

function makeClient(prompter: FakePrompter, maxRunning?: number) {
  const registry = new ProviderRegistry();
  registry.register(provider);
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, approval: 'ask', defaultProvider: 'echo', reviewResponses: false };
  const pipeline = createSamplingPipeline({ config: { get: () => settings }, providers: registry, prompter });
  const handler = createSamplingHandler(pipeline, { serverSource: () => 'test' });
  const runner = new SamplingTaskRunner((params, signal) => handler(params, { serverName: 'srv', requestId: 'task', signal }), maxRunning ? { maxRunning } : {});
  const store = new InMemoryTaskStore();
  const client = new Client(
    { name: 'task-test', version: '1.0.0' },
    { capabilities: { sampling: {}, tasks: { list: {}, cancel: {}, requests: { sampling: { createMessage: {} } } } }, taskStore: runner.wrapStore(store) },
  );
  client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => {
    if (request.params.task && extra.taskStore) return runner.start(request.params as Record<string, unknown>, extra.taskStore) as never;
    return handler(request.params, { serverName: 'srv', requestId: extra.requestId, signal: extra.signal });
  });
  return { client, runner, store };
}

const ask = (text: string) => ({ method: 'sampling/createMessage' as const, params: { messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }], maxTokens: 50, task: { ttl: 60_000 } } });

async function inMemory(prompter: FakePrompter, maxRunning?: number) {
  const made = makeClient(prompter, maxRunning);
  const server = new Server({ name: 'task-server', version: '1.0.0' }, { capabilities: {} });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([made.client.connect(a), server.connect(b)]);
  return { ...made, server, close: async () => (made.store.cleanup(), await Promise.all([made.client.close(), server.close()])) };
}

async function waitForStatus(server: Server, taskId: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const task = await server.request({ method: 'tasks/get', params: { taskId } }, GetTaskResultSchema);
    if (task.status === status) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`task ${taskId} never reached ${status}`);
}

test('server-everything trigger-sampling-request-async completes through the approval pipeline', async () => {
  const prompter = new FakePrompter();
  const { client, store } = makeClient(prompter);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [everythingServerPath(), 'stdio'], stderr: 'ignore' }));
  try {
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'trigger-sampling-request-async'), 'the server registers the tool only for clients declaring tasks.requests.sampling.createMessage');
    const result = await client.callTool({ name: 'trigger-sampling-request-async', arguments: { prompt: 'hello', maxTokens: 20 } }, undefined, { timeout: 30_000 });
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? '';
    assert.match(text, /^\[COMPLETED\]/);
    assert.match(text, /echo<Resource trigger-sampling-request-async context: hello>/);
    assert.equal(prompter.approvals.length, 1);
    assert.equal(prompter.approvals[0]?.origin.route, 'server-request');
  } finally {
    store.cleanup();
    await client.close();
  }
});

test('tasks/cancel aborts the waiting approval; the task ends cancelled', async () => {
  const prompter = new FakePrompter({ approve: () => 'wait' });
  const s = await inMemory(prompter);
  try {
    const created = await s.server.request(ask('x'), CreateTaskResultSchema);
    const taskId = created.task.taskId;
    await waitFor('not (prompter.approvals.length === 0)', () => !(prompter.approvals.length === 0), { timeoutMs: 5000 });
    assert.equal(prompter.approvals.length, 1);
    assert.equal(s.runner.runningCount, 1);
    const cancelled = await s.server.request({ method: 'tasks/cancel', params: { taskId } }, CancelTaskResultSchema);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(prompter.approvalSignals[0]?.aborted, true);
    await waitFor('not (s.runner.runningCount > 0)', () => !(s.runner.runningCount > 0), { timeoutMs: 5000 });
    assert.equal(s.runner.runningCount, 0);
  } finally {
    await s.close();
  }
});

test('a rejected request fails the task, and tasks/result answers with the request\'s error', async () => {
  const prompter = new FakePrompter({ approve: () => ({ kind: 'reject', reason: 'no thanks' }) });
  const s = await inMemory(prompter);
  try {
    const { task } = await s.server.request(ask('y'), CreateTaskResultSchema);
    await waitForStatus(s.server, task.taskId, 'failed');
    await assert.rejects(s.server.request({ method: 'tasks/result', params: { taskId: task.taskId } }, ResultSchema), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, SAMPLING_REFUSED);
      assert.match(error.message, /no thanks/);
      return true;
    });
  } finally {
    await s.close();
  }
});

test('completed tasks answer tasks/result with the sampling result; running tasks are bounded', async () => {
  const prompter = new FakePrompter({ approve: (r) => ((r.params.messages[0]?.content as { text?: string }).text === 'slow' ? 'wait' : { kind: 'approve', params: r.params, choice: r.choice }) });
  const s = await inMemory(prompter, 1);
  try {
    const slow = await s.server.request(ask('slow'), CreateTaskResultSchema);
    await assert.rejects(s.server.request(ask('second'), CreateTaskResultSchema), /Too many sampling tasks are running \(1\)/);
    await s.server.request({ method: 'tasks/cancel', params: { taskId: slow.task.taskId } }, CancelTaskResultSchema);
    await waitFor('not (s.runner.runningCount > 0)', () => !(s.runner.runningCount > 0), { timeoutMs: 5000 });
    const { task } = await s.server.request(ask('fast'), CreateTaskResultSchema);
    const result = await s.server.request({ method: 'tasks/result', params: { taskId: task.taskId } }, ResultSchema);
    assert.deepEqual((result as { content?: unknown }).content, { type: 'text', text: 'echo<fast>' });
  } finally {
    await s.close();
  }
});

test('a burst of task requests sent together takes one running slot each, and the store keeps a bounded number of tasks', async () => {
  const prompter = new FakePrompter({ approve: (r) => ((r.params.messages[0]?.content as { text?: string }).text === 'slow' ? 'wait' : { kind: 'approve', params: r.params, choice: r.choice }) });
  const s = await inMemory(prompter, 1);
  try {
    const burst = await Promise.allSettled(Array.from({ length: 5 }, () => s.server.request(ask('slow'), CreateTaskResultSchema)));
    const accepted = burst.filter((r) => r.status === 'fulfilled');
    assert.equal(accepted.length, 1, 'one running slot, one task');
    for (const r of burst) if (r.status === 'rejected') assert.match(String(r.reason), /Too many sampling tasks are running \(1\)/);
    const slow = (accepted[0] as PromiseFulfilledResult<{ task: { taskId: string } }>).value;
    await s.server.request({ method: 'tasks/cancel', params: { taskId: slow.task.taskId } }, CancelTaskResultSchema);
    await waitFor('the slot to be free', () => s.runner.runningCount === 0, { timeoutMs: 5000 });
    // Finished tasks stay in the store until their TTL ends: at most 8 per running slot.
    for (let i = 1; i < 8; i++) {
      const { task } = await s.server.request(ask('fast'), CreateTaskResultSchema);
      await s.server.request({ method: 'tasks/result', params: { taskId: task.taskId } }, ResultSchema);
    }
    await assert.rejects(s.server.request(ask('fast'), CreateTaskResultSchema), /Too many sampling tasks are kept \(8\)/);
  } finally {
    await s.close();
  }
});

test('a task that finishes late is counted for its TTL from when it finished, as the SDK store keeps it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  // One running slot: at most 8 tasks kept.
  const runner = new SamplingTaskRunner(async () => ({}), { maxRunning: 1 });
  const sdkStore = new InMemoryTaskStore();
  const store = runner.wrapStore(sdkStore);
  const request = { method: 'sampling/createMessage', params: {} };
  const create = (i: number) => store.createTask({ ttl: 1000 }, `req-${i}`, request);
  try {
    const first = await create(0);
    t.mock.timers.tick(900);
    await store.storeTaskResult(first.taskId, 'completed', { content: [] });
    // Past the TTL counted from its creation, but the SDK's store keeps it 1000 ms from now.
    t.mock.timers.tick(200);
    for (let i = 1; i < 8; i++) await create(i);
    assert.equal((await sdkStore.listTasks()).tasks.length, 8, 'the store holds all eight');
    await assert.rejects(create(8), /Too many sampling tasks are kept \(8\)/);
    t.mock.timers.tick(800);
    assert.equal((await sdkStore.listTasks()).tasks.length, 7, 'the first one left the store when its TTL from finishing ended');
    const ninth = await create(9);
    assert.ok(ninth.taskId);
  } finally {
    sdkStore.cleanup();
  }
});
