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
import { toChatMessages, toChatTools, toProviderResponse, type ChatOutcome } from './openaiMapping';
import { ProviderError, scrubSecrets } from './providerError';

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
const MAX_ANSWER_CHARS = 4_000_000;
const MAX_TOOL_CALLS = 128;
/** A streamed tool call's name and arguments are bounded while they accumulate (an endpoint can stream forever). */
const MAX_TOOL_NAME_CHARS = 1024;
const MAX_TOOL_ARGUMENT_CHARS = 4_000_000;
const MAX_LISTED_MODELS = 2000;

let openAiModule: Promise<OpenAiModule> | undefined;
function loadOpenAi(): Promise<OpenAiModule> {
  openAiModule ??= import('openai');
  return openAiModule;
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function shorten(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export class OpenAiCompatibleProvider implements ModelProvider {
  readonly id: string;
  readonly label: string;
  private readonly logger: Logger;
  private modelCache: { readonly at: number; readonly models: readonly ModelInfo[] } | undefined;
  /** The listing in flight, shared by the requests that wait for it. */
  private listing: Promise<readonly ModelInfo[]> | undefined;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.id = options.setting.id;
    this.label = options.setting.label ?? options.setting.id;
    this.logger = options.logger ?? silentLogger;
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
        if (listed.length >= MAX_LISTED_MODELS) break;
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
    const idleMs = this.options.idleTimeoutMs ?? 120_000;
    // One controller for the caller's signal and the idle timeout, and one timer re-armed with
    // refresh() on every chunk: AbortSignal.any and a new timer per chunk were per-request garbage.
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let idled = false;
    const timer = setTimeout(() => {
      idled = true;
      controller.abort(new ProviderError('timeout', `${this.label} stopped sending its answer for ${idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`}`));
    }, idleMs);
    try {
      const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: controller.signal });
      const outcome = await this.accumulate(stream, onDelta, () => timer.refresh());
      // The SDK ends an aborted stream quietly: a partial answer must not pass for a whole one.
      signal.throwIfAborted();
      controller.signal.throwIfAborted();
      return outcome;
    } catch (error) {
      if (idled && !signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async accumulate(stream: AsyncIterable<ChatCompletionChunk>, onDelta: DeltaListener, onChunk: () => void): Promise<ChatOutcome> {
    let text = '';
    let model: string | undefined;
    let finishReason: string | null | undefined;
    let matchedStop: unknown;
    let usage: ChatOutcome['usage'];
    let sawChunk = false;
    const calls: { id: string; name: string; arguments: string }[] = [];
    let toolArgumentChars = 0;
    for await (const chunk of stream) {
      onChunk();
      sawChunk = true;
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        text += delta.content;
        if (text.length > MAX_ANSWER_CHARS) throw new ProviderError('malformed', `${this.label} sent an answer longer than ${MAX_ANSWER_CHARS} characters`);
        onDelta(delta.content);
      }
      for (const part of delta?.tool_calls ?? []) {
        const index = typeof part.index === 'number' ? part.index : calls.length;
        if (index < 0 || index >= MAX_TOOL_CALLS) throw new ProviderError('malformed', `${this.label} sent a tool call index out of range`);
        const slot = (calls[index] ??= { id: '', name: '', arguments: '' });
        if (typeof part.id === 'string' && part.id) slot.id = part.id.slice(0, 256);
        const name: unknown = part.function?.name;
        const args: unknown = part.function?.arguments;
        if (typeof name === 'string' && name) {
          if (slot.name.length + name.length > MAX_TOOL_NAME_CHARS) throw new ProviderError('malformed', `${this.label} sent a tool call name longer than ${MAX_TOOL_NAME_CHARS} characters`);
          slot.name += name;
        }
        if (typeof args === 'string' && args) {
          toolArgumentChars += args.length;
          if (toolArgumentChars > MAX_TOOL_ARGUMENT_CHARS) throw new ProviderError('malformed', `${this.label} sent tool call arguments longer than ${MAX_TOOL_ARGUMENT_CHARS} characters`);
          slot.arguments += args;
        }
      }
      if (choice.finish_reason) {
        finishReason = choice.finish_reason;
        matchedStop = (choice as { stop_reason?: unknown }).stop_reason;
      }
    }
    if (!sawChunk || (finishReason === undefined && text === '' && calls.length === 0)) {
      throw new ProviderError('malformed', `${this.label} ended the stream without an answer`);
    }
    const toolCalls = calls.filter((c) => c !== undefined).map((c, i) => ({ ...c, id: c.id || `call_${i}` }));
    return { model, text, toolCalls, finishReason, matchedStop, usage };
  }

  /** Replaces the endpoint's URL and origin in `text` with the provider's label. */
  private hideEndpoint(text: string): string {
    const baseUrl = this.options.setting.baseUrl;
    const variants = new Set([baseUrl, baseUrl.replace(/\/+$/, '')]);
    try {
      const url = new URL(baseUrl);
      variants.add(url.origin);
      variants.add(url.host);
    } catch {}
    let out = text;
    for (const v of [...variants].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(v).join(`<${this.label} endpoint>`);
    return out;
  }

  /**
   * A clear error for anything the SDK or the endpoint threw, fit to send to the MCP server: never the
   * key, and never the endpoint's address (a private host, or a key in its query); the log has that.
   */
  private describe(error: unknown, mod: OpenAiModule | undefined, key?: string): ProviderError {
    const scrub = (text: string) => this.hideEndpoint(scrubSecrets(text, [key]));
    const label = this.label;
    if (error instanceof ProviderError) return new ProviderError(error.kind, scrub(error.message), error.status);
    if (mod && error instanceof mod.APIConnectionTimeoutError) {
      return new ProviderError('timeout', `${label} did not answer within ${Math.round((this.options.timeoutMs ?? 120_000) / 1000)} s`);
    }
    if (mod && error instanceof mod.APIConnectionError) {
      const code = causeCode(error);
      const what = code === 'ECONNREFUSED' ? 'the connection was refused' : code ? `the connection failed (${code})` : 'the connection failed';
      this.logger.warn(`${label}: could not reach ${scrubSecrets(this.options.setting.baseUrl, [key])}: ${what}`);
      return new ProviderError('connection', `Could not reach ${label}: ${what} (the log names the endpoint)`);
    }
    if (mod && error instanceof mod.APIError) {
      const status = error.status;
      // Scrubbed before it is cut: a key cut in half would no longer be recognised.
      const detail = shorten(scrub(String((error.error as { message?: unknown } | undefined)?.message ?? error.message)));
      if (status === 401) return new ProviderError('auth', `API key rejected by ${label}: set it with MCP Sampling: Set API Key…`, 401);
      if (status === 403) return new ProviderError('auth', `${label} refused access (HTTP 403): ${detail}`, 403);
      if (status === 429) {
        const retryAfter = error.headers?.get('retry-after');
        const retries = this.options.maxRetries ?? 2;
        return new ProviderError('rate-limit', `${label} is rate limiting requests (HTTP 429) and still refused after ${retries} retries${retryAfter ? ` (it asked to wait ${retryAfter} s)` : ''}; try again later`, 429);
      }
      if (status !== undefined && status >= 500) return new ProviderError('server', `${label} failed with HTTP ${status}: ${detail}`, status);
      if (status !== undefined) return new ProviderError('request', `${label} refused the request (HTTP ${status}): ${detail}`, status);
      return new ProviderError('server', `${label} reported an error in its stream: ${detail}`);
    }
    if (error instanceof SyntaxError) return new ProviderError('malformed', `${label} sent a malformed response stream (${shorten(scrub(error.message), 120)})`);
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError('server', `${label} failed: ${shorten(scrub(message))}`);
  }
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleOptions): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider(options);
}
