/**
 * Shared pieces of the hostile-server tests: the real sampling pipeline behind real ServerConnections
 * to the hostile fixture (stdio or Streamable HTTP), a programmatic prompter, a recording logger, and
 * a guard that fails the file on any unhandled promise rejection.
 */
import { waitFor as waitUntil } from '../support/waitFor';
import { sessionFromScript } from '../support/prompterScript';
import type { ApprovalSession, SessionOptions } from '../../src/core/approval/types';
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServerDefinition } from '../../src/core/config/serverDefinition';
import type { HistorySink } from '../../src/core/history/history';
import type { Logger } from '../../src/core/logger';
import { ServerConnection } from '../../src/core/mcp/connection';
import type { ServerConnectionOptions } from '../../src/core/mcp/types';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingHandler } from '../../src/core/sampling/handlerAdapter';
import { createSamplingPipeline, type SamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type {
  ApprovalDecision,
  ApprovalPrompter,
  ApprovalRequest,
  DeltaListener,
  ModelInfo,
  ModelProvider,
  ProviderRequest,
  ProviderResponse,
  RequestEvent,
  ReviewDecision,
} from '../../src/core/sampling/types';
import { repoRoot } from '../fixtures/fixtureServers';

/** Fails the test file if any promise rejection goes unhandled while it runs. */
export function guardUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  process.on('unhandledRejection', (reason) => unhandled.push(reason));
  after(() => assert.deepEqual(unhandled.map(String), [], 'no unhandled promise rejections'));
}

export function hostileServerPath(): string {
  return path.join(repoRoot(), 'out', 'test', 'fixtures', 'hostileServer.js');
}

export function hostileDefinition(name: string, args: string[] = [], env: Record<string, string | null> = {}): ServerDefinition {
  return { name, source: 'test', disabled: false, type: 'stdio', command: process.execPath, args: [hostileServerPath(), '--name', name, ...args], env };
}

/** Starts the hostile server in HTTP mode; resolves with its URL and the process (kill it when done). */
export async function startHostileHttp(args: string[] = []): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [hostileServerPath(), '--http', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the hostile HTTP server did not print its port')), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the hostile HTTP server exited (${code})`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  return { url, child, stop };
}

export interface LogLine {
  readonly level: string;
  readonly text: string;
}

/** A Logger that keeps every line (with its arguments serialized), or only counts bytes when `keep` is false. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  bytes = 0;
  constructor(private readonly keep = true) {}
  private put(level: string, message: string | Error, args: unknown[]): void {
    const text = [message instanceof Error ? `${message.name}: ${message.message}` : message, ...args.map((a) => (typeof a === 'string' ? a : safeJson(a)))].join(' ');
    this.bytes += text.length;
    if (this.keep) this.lines.push({ level, text });
  }
  trace(m: string, ...a: unknown[]) {
    this.put('trace', m, a);
  }
  debug(m: string, ...a: unknown[]) {
    this.put('debug', m, a);
  }
  info(m: string, ...a: unknown[]) {
    this.put('info', m, a);
  }
  warn(m: string, ...a: unknown[]) {
    this.put('warn', m, a);
  }
  error(m: string | Error, ...a: unknown[]) {
    this.put('error', m, a);
  }
  all(): string {
    return this.lines.map((l) => `${l.level} ${l.text}`).join('\n');
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

type Decide = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision> | 'hold';

/** A prompter that decides in code; 'hold' keeps a request waiting until `releaseHeld` or its signal ends it. */
export class ProgrammaticPrompter implements ApprovalPrompter {
  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    return sessionFromScript(this, request, options);
  }

  readonly approvals: ApprovalRequest[] = [];
  readonly events: { id: string; event: RequestEvent }[] = [];
  private held: { request: ApprovalRequest; resolve: (d: ApprovalDecision) => void }[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  /** The most requests this prompter had waiting at once. */
  maxWaiting = 0;
  private waiting = 0;

  constructor(public decide: Decide = (r) => ({ kind: 'approve', params: r.params, choice: r.choice })) {}

  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    this.approvals.push(request);
    this.waiting++;
    this.maxWaiting = Math.max(this.maxWaiting, this.waiting);
    const done = () => {
      this.waiting--;
      this.wake();
    };
    const decision = new Promise<ApprovalDecision>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      Promise.resolve(this.decide(request)).then((d) => (d === 'hold' ? this.held.push({ request, resolve }) : resolve(d)), reject);
    });
    decision.then(done, done);
    this.wake();
    return decision;
  }

  reviewResponse(_id: string, response: ProviderResponse): Promise<ReviewDecision> {
    return Promise.resolve({ kind: 'accept', content: response.content });
  }

  manualReply(): Promise<string> {
    return Promise.resolve('typed by hand');
  }

  notify(id: string, event: RequestEvent): void {
    this.events.push({ id, event });
    this.wake();
  }

  closedFor(id: string): Extract<RequestEvent, { kind: 'closed' }> | undefined {
    const found = this.events.find((e) => e.id === id && e.event.kind === 'closed');
    return found?.event as Extract<RequestEvent, { kind: 'closed' }> | undefined;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Decides every held request (reject by default). */
  releaseHeld(decision: ApprovalDecision = { kind: 'reject', reason: 'released by the test' }): void {
    const held = this.held;
    this.held = [];
    for (const h of held) h.resolve(decision);
  }

  /** Waits (bounded) until the condition holds. */
  when(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private wake(): void {
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}

/** Echoes the last user text. */
export class EchoProvider implements ModelProvider {
  readonly id = 'echo';
  readonly label = 'Echo';
  readonly requests: ProviderRequest[] = [];
  async listModels(): Promise<readonly ModelInfo[]> {
    return [{ id: 'echo-1' }];
  }
  async complete(request: ProviderRequest, onDelta: DeltaListener): Promise<ProviderResponse> {
    this.requests.push(request);
    const last = request.messages[request.messages.length - 1];
    const blocks = last ? (Array.isArray(last.content) ? last.content : [last.content]) : [];
    const text = `echo: ${blocks.map((b) => (b.type === 'text' ? b.text.slice(0, 200) : `[${b.type}]`)).join(' ')}`;
    onDelta(text);
    return { model: request.model, content: { type: 'text', text }, stopReason: 'endTurn' };
  }
}

export interface PipelineSetup {
  readonly settings?: Partial<SamplingSettings>;
  readonly prompter?: ProgrammaticPrompter;
  readonly providers?: ModelProvider[];
  readonly logger?: Logger;
  readonly history?: HistorySink;
  readonly secrets?: () => readonly string[];
}

export interface HostileWorld {
  readonly pipeline: SamplingPipeline;
  readonly prompter: ProgrammaticPrompter;
  readonly policy: SamplingPolicy;
  readonly settings: SamplingSettings;
  readonly logger: Logger;
  /** Connects one more server to the same pipeline (as the extension does: one pipeline for all servers). */
  connect(definition: ServerDefinition, extra?: Partial<ServerConnectionOptions>): Promise<ServerConnection>;
  close(): Promise<void>;
}

export function hostileWorld(setup: PipelineSetup = {}): HostileWorld {
  const prompter = setup.prompter ?? new ProgrammaticPrompter();
  const registry = new ProviderRegistry();
  const providers = setup.providers ?? [new EchoProvider()];
  for (const p of providers) registry.register(p);
  const settings: SamplingSettings = { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: providers[0]?.id ?? 'manual', reviewResponses: false, ...setup.settings };
  const policy = new SamplingPolicy();
  const logger = setup.logger ?? new RecordingLogger();
  const pipeline = createSamplingPipeline({
    config: { get: () => settings },
    providers: registry,
    prompter,
    policy,
    logger,
    progressIntervalMs: 200,
    ...(setup.history ? { history: setup.history } : {}),
    ...(setup.secrets ? { secrets: setup.secrets } : {}),
  });
  let counter = 0;
  const handler = createSamplingHandler(pipeline, { serverSource: () => 'test', newRequestId: () => `req-${++counter}` });
  const connections: ServerConnection[] = [];
  return {
    pipeline,
    prompter,
    policy,
    settings,
    logger,
    async connect(definition, extra = {}) {
      const conn = new ServerConnection({ definition, logger, samplingHandler: handler, samplingTools: true, killGraceMs: 500, initializeTimeoutMs: 10_000, ...extra });
      connections.push(conn);
      await conn.connect();
      return conn;
    },
    async close() {
      prompter.releaseHeld();
      await Promise.all(connections.map((c) => c.close()));
    },
  };
}

export interface Outcome {
  readonly ok: boolean;
  readonly result?: { content?: unknown; model?: string };
  readonly error?: { readonly code: number | string; readonly message: string };
}

/** Calls a hostile tool and parses its JSON answer (the server's own view of what happened). */
export async function callHostile<T = Outcome>(conn: ServerConnection, tool: string, args: Record<string, unknown> = {}): Promise<T> {
  const result: CallToolResult = await conn.callTool(tool, args, { timeoutMs: 60_000 });
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`the hostile server answered ${tool} with non-JSON: ${text.slice(0, 300)}`);
  }
}

/** The hostile tests' argument order for test/support/waitFor (the one implementation). */
export function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  return waitUntil(what, probe, { timeoutMs });
}
