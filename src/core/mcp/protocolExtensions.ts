/**
 * The client-side protocol features beyond plain sampling, in one place for the connection:
 * elicitation (`elicitation/create`, form and URL modes) and task-augmented sampling (2025-11-25
 * `tasks.requests.sampling.createMessage`). One instance per SDK Client (a reconnect makes a new one):
 * `capabilities()` and `clientOptions()` go into the Client's constructor, `install(client)` registers
 * the handlers, the sampling handler calls `maybeStartTask` first, and `dispose` ends running tasks.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ClientCapabilities, Result } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { createElicitationResponder, type ElicitationPrompter, type ElicitResult } from '../rounds/elicitation';
import { SamplingTaskRunner, type TaskSamplingOptions } from '../rounds/taskSampling';
import type { ElicitationHandler, RequestAttribution, SamplingHandler, SamplingRequestContext } from './types';

export type { ElicitationHandler } from './types';

export interface ElicitationModes {
  readonly form?: boolean;
  readonly url?: boolean;
}

export interface ProtocolExtensionsOptions {
  readonly serverName: string;
  readonly logger?: Logger;
  /** Answers `elicitation/create`; the capability is declared only with one. */
  readonly elicitation?: { readonly handler: ElicitationHandler; readonly modes?: ElicitationModes };
  /** Runs task-augmented sampling with this handler (the connection's own); the `tasks` capability is declared only with it. */
  readonly taskSampling?: { readonly handler: SamplingHandler; readonly options?: TaskSamplingOptions };
}

/** The parts of the SDK's RequestHandlerExtra the extensions read. */
export interface ExtensionRequestExtra {
  readonly requestId: string | number;
  readonly signal: AbortSignal;
  readonly taskStore?: RequestTaskStore;
}

export interface ProtocolExtensions {
  /** Capabilities to merge into the Client's (`elicitation`, `tasks`), only for what is configured. */
  capabilities(): ClientCapabilities;
  /** Extra Client constructor options (`taskStore` with task sampling on). */
  clientOptions(): { taskStore?: TaskStore };
  /**
   * Registers `elicitation/create` on the client (when configured). Call it only when nothing else
   * registers that method; `contextFor` supplies the connection's request context (abort reason,
   * tool attribution), else a plain one is built from the SDK's `extra`.
   */
  install(client: Pick<Client, 'setRequestHandler'>, contextFor?: ContextFactory): void;
  /**
   * For the `sampling/createMessage` handler, before anything else: a task-augmented request starts a
   * task and resolves with the CreateTaskResult to send; anything else resolves undefined.
   */
  maybeStartTask(params: unknown, extra: ExtensionRequestExtra, running?: RequestAttribution): Promise<Result | undefined>;
  /** Sampling tasks running now. */
  readonly runningTasks: number;
  /** Aborts running tasks and clears the store's timers (call when the client closes). */
  dispose(reason?: string): void;
}

/** Builds the context of an elicitation request; the connection passes its own (`withRequestContext`). */
export type ContextFactory = <T>(params: unknown, extra: ExtensionRequestExtra, run: (context: SamplingRequestContext) => Promise<T>) => Promise<T>;

/** Carries each task's request context through the runner, which passes only params and a signal. */
const TASK_CONTEXT = Symbol('taskContext');
type TaskContext = Omit<SamplingRequestContext, 'signal'>;

const plainContext =
  (serverName: string): ContextFactory =>
  (_params, extra, run) =>
    run({ serverName, requestId: extra.requestId, signal: extra.signal });

async function defaultTaskStore(): Promise<TaskStore & { cleanup?(): void }> {
  const tasks = await import('@modelcontextprotocol/sdk/experimental/tasks');
  return new tasks.InMemoryTaskStore();
}

/** Creates the extensions for one SDK Client. Async because the task store's module loads lazily. */
export async function createProtocolExtensions(options: ProtocolExtensionsOptions): Promise<ProtocolExtensions> {
  const logger = options.logger ?? silentLogger;
  const tasks = options.taskSampling;
  const store = tasks ? (await defaultTaskStore()) : undefined;
  const runner = tasks
    ? new SamplingTaskRunner((params, signal) => {
        const { [TASK_CONTEXT]: context, ...samplingParams } = params as Record<string | symbol, unknown>;
        return tasks.handler(samplingParams, { ...(context as TaskContext), signal });
      }, { logger, ...tasks.options })
    : undefined;
  const wrappedStore = runner && store ? runner.wrapStore(store) : undefined;
  const elicitSchema = options.elicitation ? (await import('@modelcontextprotocol/sdk/types.js')).ElicitRequestSchema : undefined;

  return {
    capabilities() {
      const capabilities: ClientCapabilities = {};
      if (options.elicitation) {
        const modes = options.elicitation.modes ?? { form: true };
        capabilities.elicitation = { ...(modes.form !== false ? { form: {} } : {}), ...(modes.url ? { url: {} } : {}) };
      }
      if (runner) capabilities.tasks = { list: {}, cancel: {}, requests: { sampling: { createMessage: {} } } };
      return capabilities;
    },
    clientOptions() {
      return wrappedStore ? { taskStore: wrappedStore } : {};
    },
    install(client, contextFor) {
      const elicitation = options.elicitation;
      if (!elicitation) return;
      if (!elicitSchema) throw new Error('The SDK types are not loaded.');
      installElicitation(client, elicitSchema, elicitation.handler, contextFor ?? plainContext(options.serverName));
    },
    async maybeStartTask(params, extra, running) {
      if (!runner || !extra.taskStore || typeof params !== 'object' || params === null || (params as { task?: unknown }).task === undefined) return undefined;
      const context: TaskContext = { serverName: options.serverName, requestId: `task:${String(extra.requestId)}`, ...running };
      logger.debug(`[${options.serverName}] sampling request ${String(extra.requestId)} runs as a task`);
      // The task outlives this request: its signal is the runner's, not `extra.signal`.
      return runner.start({ ...(params as Record<string, unknown>), [TASK_CONTEXT]: context } as Record<string, unknown>, extra.taskStore);
    },
    get runningTasks() {
      return runner?.runningCount ?? 0;
    },
    dispose(reason = `The connection to "${options.serverName}" was closed.`) {
      runner?.cancelAll(reason);
      store?.cleanup?.();
    },
  };
}

function installElicitation(client: Pick<Client, 'setRequestHandler'>, schema: unknown, handler: ElicitationHandler, withContext: ContextFactory): void {
  // The SDK Client's wrapper checks the declared modes and the answer's shape; the handler checks its content.
  client.setRequestHandler(schema as never, (async (request: { params: unknown }, extra: ExtensionRequestExtra) => {
    const answer: ElicitResult = await withContext(request.params, extra, (context) => handler(request.params, context));
    return { action: answer.action, ...(answer.action === 'accept' && answer.content ? { content: { ...answer.content } } : {}) };
  }) as never);
}

/**
 * The connection's `ElicitationHandler` from a UI prompter: validates the request, asks, and checks
 * the answer against the requested schema before it leaves (see `createElicitationResponder`).
 */
export function createElicitationHandler(prompter: ElicitationPrompter): ElicitationHandler {
  const respond = createElicitationResponder(prompter);
  return (params, context) => respond(params, context.serverName, context.signal);
}
