/**
 * Task-augmented sampling (MCP 2025-11-25 `tasks.requests.sampling.createMessage`): when a server's
 * `sampling/createMessage` carries `params.task`, we answer at once with a task and run the same
 * approval pipeline in the background; the server polls `tasks/get` and fetches `tasks/result`.
 * The SDK v1 Client serves tasks/get, tasks/result, tasks/list and tasks/cancel itself when given a
 * task store; this module supplies the store wrapper (so `tasks/cancel` aborts the pipeline and a
 * failed task answers `tasks/result` with the request's JSON-RPC error, as the spec says) and the
 * bounded runner. Wiring: see docs/protocol.md ("Patch plan").
 */
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Result } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';

export interface TaskSamplingOptions {
  /** Sampling tasks that may run at once on one connection (default 16). */
  readonly maxRunning?: number;
  readonly logger?: Logger;
}

/** What runs a request: the pipeline through the connection's handler adapter. */
export type TaskWork = (params: unknown, signal: AbortSignal) => Promise<Result>;

/** The error a failed task's `tasks/result` answers with (an McpError, or anything with code and message). */
interface FailedTask {
  readonly error: unknown;
}

const DEFAULT_MAX_RUNNING = 16;
/** Tasks kept in the store (running or finished, until their TTL ends) per allowed running one. */
const STORED_PER_RUNNING = 8;
const DEFAULT_MAX_TTL_MS = 30 * 60_000;

export class TaskRefusedError extends Error {
  override readonly name = 'TaskRefusedError';
}

export class SamplingTaskRunner {
  private readonly running = new Map<string, AbortController>();
  private readonly failed = new Map<string, FailedTask>();
  /** Requests past the running check whose task is being created (the check must count them). */
  private starting = 0;
  /**
   * Tasks in the store by id, with their TTL and when it ends: the SDK's store keeps each one's
   * request and result until then, and starts the TTL again when the task finishes.
   */
  private readonly stored = new Map<string, { readonly ttl: number; expiresAt: number }>();
  private readonly logger: Logger;
  private readonly maxRunning: number;
  /** The longest TTL granted, whatever the server asks. */
  private readonly maxTtlMs = DEFAULT_MAX_TTL_MS;

  constructor(
    private readonly work: TaskWork,
    options: TaskSamplingOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.maxRunning = options.maxRunning ?? DEFAULT_MAX_RUNNING;
  }

  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Wraps the store given to the SDK Client (`taskStore` option): a `cancelled` status aborts the
   * running pipeline, and `getTaskResult` of a failed task throws the request's error.
   */
  wrapStore(store: TaskStore): TaskStore {
    const running = this.running;
    const failed = this.failed;
    return {
      createTask: async (...args) => {
        const now = Date.now();
        for (const [id, kept] of this.stored) if (kept.expiresAt <= now) this.stored.delete(id);
        const maxStored = this.maxRunning * STORED_PER_RUNNING;
        if (this.stored.size >= maxStored) throw new TaskRefusedError(`Too many sampling tasks are kept (${maxStored}); try again when older ones have expired.`);
        const task = await store.createTask(...args);
        const ttl = typeof task.ttl === 'number' ? task.ttl : this.maxTtlMs;
        this.stored.set(task.taskId, { ttl, expiresAt: now + ttl });
        return task;
      },
      getTask: (...args) => store.getTask(...args),
      storeTaskResult: async (taskId, ...rest) => {
        await store.storeTaskResult(taskId, ...rest);
        this.ttlStartsAgain(taskId);
      },
      listTasks: (...args) => store.listTasks(...args),
      updateTaskStatus: async (taskId, status, statusMessage, sessionId) => {
        await store.updateTaskStatus(taskId, status, statusMessage, sessionId);
        if (status === 'completed' || status === 'failed' || status === 'cancelled') this.ttlStartsAgain(taskId);
        if (status === 'cancelled') running.get(taskId)?.abort(new Error('The server cancelled the sampling task.'));
      },
      async getTaskResult(taskId, sessionId) {
        const failure = failed.get(taskId);
        if (failure) throw failure.error;
        return store.getTaskResult(taskId, sessionId);
      },
    };
  }

  /** The store keeps a finished task for its TTL from the moment it finished. */
  private ttlStartsAgain(taskId: string): void {
    const kept = this.stored.get(taskId);
    if (kept) kept.expiresAt = Date.now() + kept.ttl;
  }

  /**
   * Called by the `sampling/createMessage` handler when `params.task` is present, with the request's
   * task store (`extra.taskStore`). Resolves with the CreateTaskResult; the work continues.
   */
  async start(params: Record<string, unknown>, taskStore: RequestTaskStore): Promise<Result> {
    if (this.running.size + this.starting >= this.maxRunning) throw new TaskRefusedError(`Too many sampling tasks are running (${this.maxRunning}); try again later.`);
    const requested = (params.task as { ttl?: unknown } | undefined)?.ttl;
    const ttl = typeof requested === 'number' && Number.isFinite(requested) && requested > 0 ? Math.min(requested, this.maxTtlMs) : this.maxTtlMs;
    // The slot is taken before the await: requests read in one go must not all pass the check.
    this.starting++;
    let task: Awaited<ReturnType<RequestTaskStore['createTask']>>;
    try {
      task = await taskStore.createTask({ ttl });
    } finally {
      this.starting--;
    }
    const controller = new AbortController();
    this.running.set(task.taskId, controller);
    // The task runs with the request's own params, minus the task marker.
    const { task: _marker, ...samplingParams } = params;
    void this.run(task.taskId, samplingParams, controller, taskStore);
    return { task };
  }

  private async run(taskId: string, params: unknown, controller: AbortController, taskStore: RequestTaskStore): Promise<void> {
    try {
      const result = await this.work(params, controller.signal);
      if (!controller.signal.aborted) await taskStore.storeTaskResult(taskId, 'completed', result);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.failed.set(taskId, { error });
      const message = error instanceof Error ? error.message : String(error);
      try {
        await taskStore.storeTaskResult(taskId, 'failed', { content: [{ type: 'text', text: message }], isError: true });
      } catch (storeError) {
        this.logger.warn(`Could not record the failure of sampling task ${taskId}: ${String(storeError)}`);
      }
    } finally {
      this.running.delete(taskId);
      // Failures are kept only as long as a bounded number of tasks.
      while (this.failed.size > this.maxRunning * 4) this.failed.delete(this.failed.keys().next().value as string);
    }
  }

  /** Aborts every running task, e.g. when the connection closes. */
  cancelAll(reason: string): void {
    for (const controller of this.running.values()) controller.abort(new Error(reason));
  }
}
