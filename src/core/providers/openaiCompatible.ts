/**
 * A ModelProvider over any OpenAI-compatible chat completions endpoint (OpenAI, OpenRouter, Ollama,
 * LM Studio, vLLM, LiteLLM). The `openai` package is loaded on first use so activation stays cheap.
 *
 * Token limit: we send `max_tokens`, which every compatible server understands; OpenAI's reasoning
 * models refuse it and ask for `max_completion_tokens`, so on that specific 400 we retry once with it.
 */
import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { raceAbort } from '../async';
import type { ProviderSetting } from './types';
import type { DeltaListener, ModelInfo, ModelProvider, ProviderRequest, ProviderResponse } from './types';
import { HTTP_LIMITS, HttpGuard } from './http';
import { toChatMessages, toChatTools, toProviderResponse, type ChatOutcome } from './openaiMapping';
import { ProviderError } from './providerError';

export interface OpenAiCompatibleOptions {
  readonly setting: ProviderSetting;
  /** Read per request, so a key set while running applies at once. Undefined means "no key" (local servers). */
  readonly getApiKey: () => Promise<string | undefined>;
  readonly logger?: Logger;
  /** Retries on 408/409/429/5xx and connection errors, honouring retry-after up to 60 s (default 2). */
  readonly maxRetries?: number;
  /** Per attempt, until the response starts (default 120 s). */
  readonly timeoutMs?: number;
  /** A stream that sends nothing for this long is abandoned (default 120 s): the SDK's timeout stops at the headers. */
  readonly idleTimeoutMs?: number;
  /** Stream the answer (default true); some proxies only do whole responses. */
  readonly streaming?: boolean;
  /** How long a /models listing is reused (default 5 min). */
  readonly modelListTtlMs?: number;
}

type OpenAiModule = typeof import('openai');

/** Sent when no key is set: local servers ignore it, and the SDK refuses to run without one. */
const NO_KEY = 'no-key-set';

let openAiModule: Promise<OpenAiModule> | undefined;
function loadOpenAi(): Promise<OpenAiModule> {
  openAiModule ??= import('openai');
  return openAiModule;
}

export class OpenAiCompatibleProvider implements ModelProvider {
  readonly id: string;
  readonly label: string;
  private readonly logger: Logger;
  private readonly guard: HttpGuard;
  private modelCache: { readonly at: number; readonly models: readonly ModelInfo[] } | undefined;
  /** The listing in flight, shared by the requests that wait for it. */
  private listing: Promise<readonly ModelInfo[]> | undefined;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.id = options.setting.id;
    this.label = options.setting.label ?? options.setting.id;
    this.logger = options.logger ?? silentLogger;
    this.guard = new HttpGuard({ label: this.label, baseUrl: options.setting.baseUrl }, this.logger);
  }

  get defaultModel(): string | undefined {
    return this.options.setting.defaultModel;
  }

  /** Clients by key and options: building one per request costs a measurable share of the round trip. */
  private readonly clients = new Map<string, OpenAI>();

  private async client(maxRetries: number, timeoutMs: number): Promise<{ client: OpenAI; mod: OpenAiModule; key: string | undefined }> {
    const mod = await loadOpenAi();
    const key = await this.options.getApiKey();
    const cacheKey = `${maxRetries}\u0000${timeoutMs}\u0000${key ?? ''}`;
    const cached = this.clients.get(cacheKey);
    if (cached) return { client: cached, mod, key };
    // A changed key leaves stale clients behind: keep only the current key's.
    for (const k of [...this.clients.keys()]) if (!k.endsWith(`\u0000${key ?? ''}`)) this.clients.delete(k);
    const client = new mod.OpenAI({
      apiKey: key || NO_KEY,
      baseURL: this.options.setting.baseUrl,
      defaultHeaders: { ...this.options.setting.headers },
      maxRetries,
      timeout: timeoutMs,
      // Never pick up OPENAI_* variables from the editor's environment for a third-party endpoint.
      organization: null,
      project: null,
      adminAPIKey: null,
      logLevel: 'off',
    });
    this.clients.set(cacheKey, client);
    return { client, mod, key };
  }

  cachedModels(): readonly ModelInfo[] | undefined {
    const ttl = this.options.modelListTtlMs ?? 300_000;
    return this.modelCache && Date.now() - this.modelCache.at < ttl ? this.modelCache.models : undefined;
  }

  /** Models from settings (with metadata), plus whatever the endpoint's /models lists when it has one. */
  async listModels(signal: AbortSignal): Promise<readonly ModelInfo[]> {
    const cached = this.cachedModels();
    if (cached) return cached;
    // Requests that arrive together before the list is cached (a server sending fifty at once)
    // share one listing: each asking on its own was one more HTTP request and, under load, one more
    // connection. A caller that gives up stops waiting; the listing itself ends within its 10 s timeout.
    this.listing ??= this.fetchModels().finally(() => {
      this.listing = undefined;
    });
    return raceAbort(this.listing, signal);
  }

  private async fetchModels(): Promise<readonly ModelInfo[]> {
    const configured = new Map<string, ModelInfo>();
    for (const m of this.options.setting.models ?? []) configured.set(m.id, { ...m });
    const defaultModel = this.options.setting.defaultModel;
    if (defaultModel && !configured.has(defaultModel)) configured.set(defaultModel, { id: defaultModel });
    const listed: ModelInfo[] = [];
    let sdk: { mod?: OpenAiModule; key?: string } = {};
    try {
      const { client, mod, key } = await this.client(0, 10_000);
      sdk = { mod, ...(key !== undefined ? { key } : {}) };
      for await (const model of client.models.list()) {
        // An endpoint's listing is untrusted: an empty or odd id is skipped, a non-string owned_by ignored.
        const id: unknown = model.id;
        const ownedBy: unknown = model.owned_by;
        if (typeof id === 'string' && id.length > 0 && id.length <= 1024 && !configured.has(id)) listed.push({ id, ...(typeof ownedBy === 'string' ? { family: ownedBy.slice(0, 256) } : {}) });
        if (listed.length >= HTTP_LIMITS.listedModels) break;
      }
    } catch (error) {
      this.logger.debug(`${this.label}: no model list (${this.describe(error, sdk.mod, sdk.key).message})`);
    }
    const models = [...configured.values(), ...listed];
    this.modelCache = { at: Date.now(), models };
    return models;
  }

  async complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse> {
    const { client, mod, key } = await this.client(this.options.maxRetries ?? 2, this.options.timeoutMs ?? 120_000);
    const body: ChatCompletionCreateParamsBase = {
      model: request.model,
      messages: toChatMessages(request),
      max_tokens: request.maxTokens,
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.stopSequences && request.stopSequences.length > 0 ? { stop: [...request.stopSequences] } : {}),
      ...toChatTools(request),
    };
    this.logger.trace(`${this.label}: chat completion request`, body);
    try {
      try {
        return toProviderResponse(await this.run(client, body, onDelta, signal), request);
      } catch (error) {
        if (!(error instanceof mod.BadRequestError) || !/max_completion_tokens/.test(error.message)) throw error;
        const { max_tokens, ...rest } = body;
        this.logger.debug(`${this.label}: retrying with max_completion_tokens`);
        return toProviderResponse(await this.run(client, { ...rest, max_completion_tokens: max_tokens }, onDelta, signal), request);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      throw this.describe(error, mod, key);
    }
  }

  private async run(client: OpenAI, body: ChatCompletionCreateParamsBase, onDelta: DeltaListener, signal: AbortSignal): Promise<ChatOutcome> {
    if (this.options.streaming === false) {
      const completion = await client.chat.completions.create({ ...body, stream: false }, { signal });
      const choice = completion.choices?.[0];
      if (!choice) throw new ProviderError('malformed', `${this.label} answered without a choice`);
      const text = choice.message?.content ?? '';
      if (text) onDelta(text);
      return {
        model: completion.model,
        text,
        toolCalls: (choice.message?.tool_calls ?? []).flatMap((call) =>
          call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
        ),
        finishReason: choice.finish_reason,
        matchedStop: (choice as { stop_reason?: unknown }).stop_reason,
        usage: completion.usage,
      };
    }
    const idle = this.guard.idleTimeout(signal, this.options.idleTimeoutMs ?? 120_000);
    try {
      const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: idle.signal });
      const outcome = await this.accumulate(stream, onDelta, () => idle.refresh());
      // The SDK ends an aborted stream quietly: a partial answer must not pass for a whole one.
      signal.throwIfAborted();
      idle.signal.throwIfAborted();
      return outcome;
    } catch (error) {
      if (idle.idled) throw idle.signal.reason;
      throw error;
    } finally {
      idle.dispose();
    }
  }

  private async accumulate(stream: AsyncIterable<ChatCompletionChunk>, onDelta: DeltaListener, onChunk: () => void): Promise<ChatOutcome> {
    const answer = this.guard.boundedAnswer();
    let model: string | undefined;
    let finishReason: string | null | undefined;
    let matchedStop: unknown;
    let usage: ChatOutcome['usage'];
    let sawChunk = false;
    for await (const chunk of stream) {
      onChunk();
      sawChunk = true;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        answer.addText(delta.content);
        onDelta(delta.content);
      }
      for (const part of delta?.tool_calls ?? []) answer.addToolCallPart(part.index, part.id, part.function?.name, part.function?.arguments);
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        matchedStop = (choice as { stop_reason?: unknown }).stop_reason;
      }
    }
    if (!sawChunk || (finishReason === undefined && answer.text === '' && !answer.hasToolCalls)) {
      throw new ProviderError('malformed', `${this.label} ended the stream without an answer`);
    }
    return { model, text: answer.text, toolCalls: answer.toolCalls(), finishReason, matchedStop, usage };
  }

  /**
   * A clear error for anything the SDK or the endpoint threw, fit to send to the MCP server: never the
   * key, and never the endpoint's address (a private host, or a key in its query); the log has that.
   */
  private describe(error: unknown, mod: OpenAiModule | undefined, key?: string): ProviderError {
    const guard = this.guard;
    if (mod && error instanceof mod.APIConnectionTimeoutError) return guard.timeoutError(this.options.timeoutMs ?? 120_000);
    if (mod && error instanceof mod.APIConnectionError) return guard.connectionError(error, key);
    if (mod && error instanceof mod.APIError) {
      const detail = guard.detail(String((error.error as { message?: unknown } | undefined)?.message ?? error.message), key);
      if (error.status === undefined) return new ProviderError('server', `${this.label} reported an error in its stream: ${detail}`);
      return guard.statusError(error.status, detail, { retries: this.options.maxRetries ?? 2, retryAfter: error.headers?.get('retry-after') });
    }
    return guard.otherError(error, key);
  }
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider(options);
}
