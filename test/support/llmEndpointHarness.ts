/**
 * The gateway with its OpenAI-compatible endpoint, in front of the real sampling pipeline, a
 * scripted prompter (the panel's interface, deciding in code) and a fixture provider that streams
 * its answer in pieces. Shared by the endpoint's tests and its bench row.
 */
import { Emitter } from '../../src/core/events';
import type { GatewayBackend } from '../../src/core/gateway/catalog';
import { GatewayServer } from '../../src/core/gateway/gatewayServer';
import { LlmEndpoint, type LlmCaller, type LlmEndpointLimits } from '../../src/core/gateway/openai/endpoint';
import { ObservedPrompter } from '../../src/core/gateway/openai/observedPrompter';
import { hasValidBearer } from '../../src/core/gateway/security';
import { silentLogger } from '../../src/core/logger';
import { ProviderRegistry } from '../../src/core/providers/registry';
import { createSamplingPipeline } from '../../src/core/sampling/pipeline';
import { SamplingPolicy } from '../../src/core/sampling/policy';
import { DEFAULT_SAMPLING_SETTINGS, type SamplingSettings } from '../../src/core/sampling/settings';
import type { ApprovalDecision, ApprovalPrompter, ApprovalRequest, ApprovalSession, DeltaListener, ModelProvider, ProviderRequest, ProviderResponse, RequestEvent, ReviewDecision, SessionOptions } from '../../src/core/sampling/types';
import { sessionFromScript } from './prompterScript';

export const GATEWAY_TOKEN = 'gateway-token-0123456789abcdef0123456789abcdef';
export const SCRIPT_KEY = 'script-key-0123456789abcdef0123456789abcdef01';

/** A gateway with no MCP servers: only the OpenAI-compatible routes matter here. */
export function emptyBackend(): GatewayBackend {
  const none = new Emitter<never>();
  return {
    list: () => [],
    status: () => undefined,
    listTools: () => [],
    listPrompts: () => [],
    listResources: () => [],
    callTool: () => Promise.reject(new Error('no servers')),
    getConnection: () => undefined,
    onDidChangeStatus: none.event,
    onDidChangeLists: none.event,
    onDidChangeServers: none.event,
  } as unknown as GatewayBackend;
}

/** Answers with `answer` (or echoes the last user text) in pieces of `pieceSize`, or calls a tool when offered one. */
export class FixtureProvider implements ModelProvider {
  readonly id = 'fixture';
  readonly label = 'Fixture';
  readonly requests: ProviderRequest[] = [];
  readonly aborted: unknown[] = [];
  /** When set, complete() waits for its signal to abort (a provider stuck mid-answer). */
  hang = false;
  pieceSize = 4;
  answer: string | undefined;

  async listModels() {
    return [
      { id: 'fixture-large', family: 'fixture' },
      { id: 'fixture-small', family: 'fixture' },
    ];
  }

  async complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse> {
    this.requests.push(request);
    if (this.hang) {
      await new Promise<void>((_, reject) =>
        signal.addEventListener('abort', () => {
          this.aborted.push(signal.reason);
          reject(signal.reason);
        }),
      );
    }
    const tool = request.tools?.[0];
    const last = request.messages[request.messages.length - 1];
    const lastBlocks = last ? (Array.isArray(last.content) ? last.content : [last.content]) : [];
    const answered = lastBlocks.some((b) => b.type === 'tool_result');
    if (tool && !answered && request.toolChoice?.mode !== 'none') {
      return { model: request.model, content: [{ type: 'tool_use', id: 'call_1', name: tool.name, input: { city: 'Paris' } }], stopReason: 'toolUse', usage: { inputTokens: 11, outputTokens: 3 } };
    }
    const lastText = lastBlocks.flatMap((b) => (b.type === 'text' ? [b.text] : b.type === 'tool_result' ? [`result ${JSON.stringify(b.content)}`] : [`[${b.type}]`])).join(' ');
    const text = this.answer ?? `echo: ${lastText}`;
    for (let i = 0; i < text.length; i += this.pieceSize) onDelta(text.slice(i, i + this.pieceSize));
    return { model: request.model, content: { type: 'text', text }, stopReason: 'endTurn', usage: { inputTokens: 7, outputTokens: 5 } };
  }
}

type Step<T> = (request: ApprovalRequest, signal: AbortSignal) => T | Promise<T>;

/** Approves unless a message says "reject"; `hold` makes approval wait until the request's signal aborts. */
export class ScriptedPrompter implements ApprovalPrompter {
  readonly approvals: ApprovalRequest[] = [];
  readonly sessions: { request: ApprovalRequest; withPerson: boolean }[] = [];
  readonly events: { id: string; event: RequestEvent }[] = [];
  hold = false;
  approve: Step<ApprovalDecision> | undefined;

  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    this.sessions.push({ request, withPerson: options.withPerson });
    return sessionFromScript(this, request, options);
  }

  requestApproval(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    this.approvals.push(request);
    if (this.hold) return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    if (this.approve) return Promise.resolve(this.approve(request, signal));
    const rejected = /reject/.test(JSON.stringify(request.params.messages));
    return Promise.resolve(rejected ? { kind: 'reject', reason: 'not this one' } : { kind: 'approve', params: request.params, choice: request.choice });
  }

  async reviewResponse(_id: string, response: ProviderResponse): Promise<ReviewDecision> {
    return { kind: 'accept', content: response.content };
  }

  notify(id: string, event: RequestEvent): void {
    this.events.push({ id, event });
  }

  closed(): { id: string; outcome: string; reason: string }[] {
    return this.events.flatMap(({ id, event }) => (event.kind === 'closed' ? [{ id, outcome: event.outcome, reason: event.reason }] : []));
  }
}

export interface EndpointHarnessOptions {
  readonly settings?: Partial<SamplingSettings>;
  readonly limits?: Partial<LlmEndpointLimits>;
}

export interface EndpointHarness {
  readonly gateway: GatewayServer;
  readonly endpoint: LlmEndpoint;
  readonly provider: FixtureProvider;
  readonly prompter: ScriptedPrompter;
  readonly baseURL: string;
  settings: SamplingSettings;
  enabled: boolean;
  stop(): Promise<void>;
}

export async function startEndpointHarness(options: EndpointHarnessOptions = {}): Promise<EndpointHarness> {
  const provider = new FixtureProvider();
  const providers = new ProviderRegistry();
  providers.register(provider);
  const prompter = new ScriptedPrompter();
  const observed = new ObservedPrompter(prompter);
  const harness = {
    settings: { ...DEFAULT_SAMPLING_SETTINGS, defaultProvider: 'fixture', ...options.settings } as SamplingSettings,
    enabled: true,
  };
  const pipeline = createSamplingPipeline({ config: { get: () => harness.settings }, providers, prompter: observed, policy: new SamplingPolicy() });
  const callers: Record<string, LlmCaller> = {
    [GATEWAY_TOKEN]: { id: 'gateway', serverName: 'OpenAI client', serverSource: 'gateway token' },
    [SCRIPT_KEY]: { id: 'key:script', serverName: 'my-script', serverSource: 'LLM endpoint key' },
  };
  const endpoint = new LlmEndpoint({
    authenticate: (authorization) => Object.entries(callers).find(([key]) => hasValidBearer(authorization, key))?.[1],
    enabled: () => harness.enabled,
    run: (params, ctx, observer) => observed.observe(ctx.requestId, observer, () => pipeline(params, ctx)),
    catalog: (signal) => providers.catalog(signal),
    reviewsAnswer: (serverName, approvedByPerson) => SamplingPolicy.reviewsAnswer(harness.settings, serverName, approvedByPerson),
    logger: silentLogger,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const gateway = new GatewayServer({
    backend: emptyBackend(),
    isExposed: () => false,
    token: () => GATEWAY_TOKEN,
    logger: silentLogger,
    routes: { handles: (path) => LlmEndpoint.handles(path), handle: (req, res, path) => endpoint.handle(req, res, path) },
  });
  const port = await gateway.start(0);
  return Object.assign(harness, {
    gateway,
    endpoint,
    provider,
    prompter,
    baseURL: `http://127.0.0.1:${port}/v1`,
    stop: () => gateway.stop(),
  });
}
