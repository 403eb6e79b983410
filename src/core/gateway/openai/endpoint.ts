/**
 * The OpenAI-compatible routes of the gateway: `POST /v1/chat/completions` and `GET /v1/models`.
 * The gateway has already checked Host and Origin; here the caller's key is checked, the request is
 * bounded (body size, per-caller concurrency and queue), mapped to a sampling request and run
 * through the same pipeline as a server's, so a person approves it in the panel. A caller that
 * disconnects cancels its request (the card closes with that reason, the provider call is aborted).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../logger';
import type { ProviderCatalogEntry } from '../../providers/types';
import type { SamplingContext, SamplingResult, SamplingResultWithTools } from '../../sampling/types';
import { CallLimitError, CallLimiter, type CallLimits } from '../callLimiter';
import { BodyTooLargeError, readBody } from '../httpAdapter';
import { badField, fromPipelineError, OpenAiHttpError, sendOpenAiError } from './errors';
import { listModels, modelIsOffered } from './models';
import type { SamplingRun } from './observedPrompter';
import { mapChatRequest, type MappedChatRequest } from './requestMapping';
import { streamCompletion } from './streaming';
import { toChatCompletion, type CompletionIdentity } from './responseMapping';

export const LLM_ENDPOINT_PREFIX = '/v1/';

/** Who holds the key: the card and the policy see `serverName` (a server's own name, or the key's). */
export interface LlmCaller {
  /** Stable id of the key (limits are kept per key). */
  readonly id: string;
  readonly serverName: string;
  readonly serverSource: string;
}

export interface LlmEndpointLimits extends CallLimits {
  readonly maxBodyBytes: number;
  /** Callers (keys) whose limiters are kept; an idle one beyond it is forgotten. */
  readonly maxCallers: number;
}

export const DEFAULT_LLM_ENDPOINT_LIMITS: LlmEndpointLimits = { maxConcurrent: 4, maxQueued: 16, maxBodyBytes: 24 * 1024 * 1024, maxCallers: 64 };

export interface LlmEndpointDeps {
  /** The caller a bearer token belongs to, compared in constant time; undefined when none. */
  readonly authenticate: (authorization: string | undefined) => LlmCaller | undefined;
  /** `mcpSampling.llmEndpoint.enabled`, read per request. */
  readonly enabled: () => boolean;
  readonly run: SamplingRun;
  readonly catalog: (signal: AbortSignal) => Promise<readonly ProviderCatalogEntry[]>;
  /** Whether a person reviews this caller's answer (then nothing streams before it is accepted). */
  readonly reviewsAnswer: (serverName: string, approvedByPerson: boolean) => boolean;
  readonly logger: Logger;
  readonly limits?: Partial<LlmEndpointLimits>;
}

export class LlmEndpoint {
  private readonly limiters = new Map<string, CallLimiter>();
  private readonly limits: LlmEndpointLimits;

  constructor(private readonly deps: LlmEndpointDeps) {
    this.limits = { ...DEFAULT_LLM_ENDPOINT_LIMITS, ...deps.limits };
  }

  static handles(path: string): boolean {
    return path.startsWith(LLM_ENDPOINT_PREFIX);
  }

  /** Requests running or waiting, over every caller (for the status view and tests). */
  get load(): { inFlight: number; queued: number } {
    let inFlight = 0;
    let queued = 0;
    for (const l of this.limiters.values()) {
      inFlight += l.inFlight;
      queued += l.queued;
    }
    return { inFlight, queued };
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    try {
      if (!this.deps.enabled()) throw new OpenAiHttpError(404, 'The OpenAI-compatible endpoint is turned off (mcpSampling.llmEndpoint.enabled).', { code: 'endpoint_disabled' });
      const caller = this.deps.authenticate(req.headers.authorization);
      if (!caller) {
        return sendOpenAiError(res, new OpenAiHttpError(401, 'A valid API key is required (Authorization: Bearer <key>). Get one with "MCP Sampling: Connect Another Client…".', { code: 'invalid_api_key' }), {
          'www-authenticate': 'Bearer realm="mcp-sampling-gateway"',
        });
      }
      const method = req.method ?? 'GET';
      if (path === '/v1/chat/completions') {
        if (method !== 'POST') throw new OpenAiHttpError(405, 'Use POST for /v1/chat/completions.');
        return await this.chat(req, res, caller);
      }
      if (path === '/v1/models' || path.startsWith('/v1/models/')) {
        if (method !== 'GET') throw new OpenAiHttpError(405, 'Use GET for /v1/models.');
        return await this.models(res, path);
      }
      throw new OpenAiHttpError(404, `Not found: this endpoint offers POST /v1/chat/completions and GET /v1/models.`, { code: 'unknown_url' });
    } catch (error) {
      if (error instanceof OpenAiHttpError) return sendOpenAiError(res, error);
      if (error instanceof BodyTooLargeError) return sendOpenAiError(res, new OpenAiHttpError(413, error.message, { code: 'request_too_large' }), { connection: 'close' });
      this.deps.logger.error(`LLM endpoint: ${error instanceof Error ? error.message : String(error)}`);
      sendOpenAiError(res, new OpenAiHttpError(500, 'Internal error in the LLM endpoint.'));
    }
  }

  private async models(res: ServerResponse, path: string): Promise<void> {
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const list = listModels(await this.deps.catalog(abort.signal));
    if (path === '/v1/models') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
    const id = decodeURIComponent(path.slice('/v1/models/'.length));
    const model = list.data.find((m) => m.id === id);
    if (!model) throw new OpenAiHttpError(404, `The model ${JSON.stringify(id)} is not offered here; GET /v1/models lists those that are.`, { param: 'model', code: 'model_not_found' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(model));
  }

  private limiterFor(callerId: string): CallLimiter {
    let limiter = this.limiters.get(callerId);
    if (!limiter) {
      if (this.limiters.size >= this.limits.maxCallers) {
        for (const [id, l] of this.limiters) if (l.inFlight === 0 && l.queued === 0) this.limiters.delete(id);
      }
      limiter = new CallLimiter(this.limits);
      this.limiters.set(callerId, limiter);
    }
    return limiter;
  }

  private async chat(req: IncomingMessage, res: ServerResponse, caller: LlmCaller): Promise<void> {
    // Refused before reading when the length is announced, so the caller reads the 413 (not a reset).
    const announced = Number(req.headers['content-length'] ?? NaN);
    if (announced > this.limits.maxBodyBytes) throw new BodyTooLargeError(`The request body is larger than ${this.limits.maxBodyBytes} bytes.`);
    const body = await readBody(req, this.limits.maxBodyBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badField('body', 'is not JSON');
    }
    const mapped = mapChatRequest(parsed);
    const abort = new AbortController();
    // Only a close before the answer was sent means the caller gave up.
    res.once('close', () => {
      if (!res.writableFinished) abort.abort(new Error('the caller disconnected'));
    });
    try {
      await this.limiterFor(caller.id).run(abort.signal, () => this.complete(res, caller, mapped, abort.signal));
    } catch (error) {
      if (abort.signal.aborted) return void res.destroy();
      if (error instanceof CallLimitError) {
        throw new OpenAiHttpError(429, `Too many completions from this caller at once: ${this.limits.maxConcurrent} run and ${this.limits.maxQueued} wait already.`, { code: 'too_many_requests', retryAfterSeconds: 1 });
      }
      throw error;
    }
  }

  private async complete(res: ServerResponse, caller: LlmCaller, mapped: MappedChatRequest, signal: AbortSignal): Promise<void> {
    if (mapped.model !== undefined && !modelIsOffered(mapped.model, await this.deps.catalog(signal))) {
      throw new OpenAiHttpError(404, `The model ${JSON.stringify(mapped.model)} is not offered here; GET /v1/models lists those that are (or send "auto").`, { param: 'model', code: 'model_not_found' });
    }
    const identity: CompletionIdentity = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000) };
    const ctx: SamplingContext = { requestId: randomUUID(), serverName: caller.serverName, serverSource: caller.serverSource, route: 'openai-endpoint', signal };
    if (mapped.stream) {
      return streamCompletion({ res, identity, mapped, ctx, run: this.deps.run, reviewsAnswer: this.deps.reviewsAnswer, logger: this.deps.logger });
    }
    let usage: Parameters<typeof toChatCompletion>[2];
    let result: SamplingResult | SamplingResultWithTools;
    try {
      result = await this.deps.run(mapped.params, ctx, { response: (r) => (usage = r.usage) });
    } catch (error) {
      if (signal.aborted) throw error;
      throw fromPipelineError(error);
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(toChatCompletion(identity, result, usage)));
  }
}
