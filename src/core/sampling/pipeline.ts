/**
 * The sampling pipeline: what happens to one `sampling/createMessage` request, from the server's raw
 * params to the result. validate -> policy -> choose provider/model -> open the request's approval
 * session -> (ask) a person approves -> generate (streaming into the session) -> (when it applies) a
 * person reviews -> result, recorded in the history. `auto` needs no person: review applies to answers
 * a person approved, or where `serverSampling[server].reviewResponses` is true. The request's signal
 * (server cancelled, timed out or disconnected) ends every step; the session always gets `closed`.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { HistoryDecision, HistoryOutcome, HistoryRecord, HistorySink } from '../history/history';
import type { Logger } from '../logger';
import { silentLogger } from '../logger';
import { PanelClosedError, type ApprovalSession } from '../approval/types';
import { MANUAL_PROVIDER_ID } from '../providers/manual';
import { originOf } from '../requestOrigin';
import { redactSecrets } from '../secrets';
import { describeAbortReason, raceAbort } from '../abort';
import { describeError, internalError, invalidParams, refused, SAMPLING_REFUSED } from './errors';
import { hiddenCharacterWarnings } from './hiddenCharacters';
import { selectProviderAndModel, type ProviderCatalogEntry } from './modelSelection';
import { SamplingPolicy } from './policy';
import { toSamplingResult } from './resultShape';
import type { SamplingConfigSource, SamplingSettings } from './settings';
import { estimatePromptTokens } from './tokenEstimate';
import type {
  ApprovalPrompter,
  ApprovalRequest,
  ModelProvider,
  ProviderChoice,
  ProviderResponse,
  RequestEvent,
  ResponseContent,
  SamplingContext,
  SamplingParams,
  SamplingResult,
  SamplingResultWithTools,
} from './types';
import { validateSamplingParams, type ValidatedRequest } from './validate';

/** Where the pipeline finds providers; `ProviderRegistry` implements it. */
export interface ProviderSource {
  get(id: string): ModelProvider | undefined;
  catalog(signal: AbortSignal): Promise<readonly ProviderCatalogEntry[]>;
}

export interface SamplingPipelineDeps {
  readonly config: SamplingConfigSource;
  readonly providers: ProviderSource;
  readonly prompter: ApprovalPrompter;
  readonly history?: HistorySink;
  readonly logger?: Logger;
  /** Whether we declared `sampling.tools` to this server (default: yes). */
  readonly clientSupportsTools?: (serverName: string) => boolean;
  /** "Always allow": write `serverSampling[server].approval = "auto"` to the settings. */
  readonly persistAlwaysAllow?: (serverName: string, serverSource: string) => Promise<void>;
  /** Shared so "allow for this session", rate and pending limits span all connections (default: a new one). */
  readonly policy?: SamplingPolicy;
  /** Known secrets (API keys) scrubbed from error messages sent to servers. */
  readonly secrets?: () => readonly string[];
  /** How often progress is reported while a human decides (default 5 s). */
  readonly progressIntervalMs?: number;
  /** Regenerations allowed per request before giving up (default 10). */
  readonly maxRegenerations?: number;
  readonly now?: () => number;
}

export type SamplingPipeline = (rawParams: unknown, ctx: SamplingContext) => Promise<SamplingResult | SamplingResultWithTools>;

/** What one run learned, for the history record and the final event. */
interface RunState {
  decision: HistoryDecision;
  request?: SamplingParams;
  editedRequest?: SamplingParams;
  choice?: ProviderChoice;
  response?: ProviderResponse;
  content?: ResponseContent;
  contentEdited: boolean;
  regenerations: number;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function createSamplingPipeline(deps: SamplingPipelineDeps): SamplingPipeline {
  const logger = deps.logger ?? silentLogger;
  const policy = deps.policy ?? new SamplingPolicy();
  const now = deps.now ?? Date.now;
  const progressIntervalMs = deps.progressIntervalMs ?? 5000;
  const maxRegenerations = deps.maxRegenerations ?? 10;
  const { prompter } = deps;

  const notify = (session: ApprovalSession | undefined, event: RequestEvent): void => {
    try {
      session?.notify(event);
    } catch (error) {
      logger.warn(`The approval UI failed to take an event: ${describeError(error)}`);
    }
  };

  /** Waits for a human, keeping the server's timeout alive with progress notifications. */
  async function waitForHuman<T>(ctx: SamplingContext, message: string, ask: () => Promise<T>): Promise<T> {
    const report = ctx.reportProgress;
    const tick = () => {
      try {
        report?.(message);
      } catch {
        // A closed connection cannot take progress; the signal will end the wait.
      }
    };
    tick();
    const timer = report ? setInterval(tick, progressIntervalMs) : undefined;
    try {
      return await raceAbort(ask(), ctx.signal);
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  function validate(raw: unknown, ctx: SamplingContext, settings: SamplingSettings): ValidatedRequest {
    return validateSamplingParams(raw, {
      clientSupportsTools: deps.clientSupportsTools?.(ctx.serverName) ?? true,
      maxRequestBytes: settings.limits.maxRequestBytes,
      maxMessages: settings.limits.maxMessages,
      maxTokensCap: settings.limits.maxTokensCap,
      serverMaxTokens: settings.serverSampling[ctx.serverName]?.maxTokens,
    });
  }

  async function generate(ctx: SamplingContext, session: ApprovalSession, choice: ProviderChoice, params: SamplingParams): Promise<ProviderResponse> {
    if (choice.providerId === MANUAL_PROVIDER_ID) {
      const text = await waitForHuman(ctx, 'Waiting for a typed reply in VS Code', () => session.manualReply(ctx.signal));
      return { model: 'manual', content: { type: 'text', text }, stopReason: 'endTurn' };
    }
    const provider = deps.providers.get(choice.providerId);
    if (!provider) throw internalError(`The provider "${choice.providerId}" is not available`);
    logger.trace(`Sampling ${ctx.requestId}: sending to ${provider.label}/${choice.model}`, params);
    const request = {
      model: choice.model,
      systemPrompt: params.systemPrompt,
      messages: params.messages,
      maxTokens: params.maxTokens,
      temperature: params.temperature,
      stopSequences: params.stopSequences,
      tools: params.tools,
      toolChoice: params.toolChoice,
    };
    const onDelta = (text: string) => notify(session, { kind: 'delta', text });
    return raceAbort(provider.complete(request, onDelta, ctx.signal), ctx.signal);
  }

  function approvalRequest(
    ctx: SamplingContext,
    validated: ValidatedRequest,
    choice: ProviderChoice,
    catalog: readonly ProviderCatalogEntry[],
    receivedAt: number,
  ): ApprovalRequest {
    const params = validated.params;
    const tokenEstimate = estimatePromptTokens(params);
    const maxInputTokens = catalog.find((p) => p.id === choice.providerId)?.models.find((m) => m.id === choice.model)?.maxInputTokens;
    const warnings = hiddenCharacterWarnings(params);
    if (validated.maxTokensLowered) {
      const { requested, cap, setting } = validated.maxTokensLowered;
      warnings.push(`maxTokens lowered from ${requested} to ${cap} by ${setting}`);
    }
    if (maxInputTokens !== undefined && tokenEstimate > maxInputTokens) {
      warnings.push(`The prompt is about ${tokenEstimate} tokens (estimated as characters / 4), more than the ${maxInputTokens} that ${choice.model} accepts`);
    }
    return {
      origin: originOf(ctx),
      params,
      choice,
      providers: catalog.map((p) => ({ id: p.id, label: p.label, models: p.models })),
      tokenEstimate,
      ...(maxInputTokens !== undefined ? { maxInputTokens } : {}),
      warnings,
      receivedAt,
    };
  }

  async function approve(ctx: SamplingContext, settings: SamplingSettings, session: ApprovalSession, state: RunState, validated: ValidatedRequest) {
    const decision = await waitForHuman(ctx, 'Waiting for approval in VS Code', () => session.approve(ctx.signal));
    if (decision.kind === 'reject') {
      state.decision = decision.unasked ? 'refused' : 'rejected';
      if (decision.unasked) throw refused(`Sampling refused without asking: ${decision.reason ?? 'the approval panel could not take the request'}`);
      throw refused(`The user rejected the sampling request${decision.reason ? `: ${decision.reason}` : ''}`);
    }
    state.decision = 'approved';
    let params = validated.params;
    if (!sameJson(decision.params, validated.params)) {
      try {
        params = validate(decision.params, ctx, settings).params;
      } catch (error) {
        throw invalidParams(`The edited request is invalid: ${describeError(error)}`);
      }
      state.editedRequest = params;
    }
    if (decision.remember === 'session' || decision.remember === 'always') policy.allowForSession(ctx.serverName);
    if (decision.remember === 'always' && deps.persistAlwaysAllow) {
      try {
        await deps.persistAlwaysAllow(ctx.serverName, ctx.serverSource);
      } catch (error) {
        logger.warn(`Could not save "always allow" for ${ctx.serverName}: ${describeError(error)}`);
      }
    }
    return { params, choice: decision.choice };
  }

  async function answer(ctx: SamplingContext, session: ApprovalSession, review: boolean, choice: ProviderChoice, params: SamplingParams, state: RunState) {
    /** The answer under review when the person asked for another. */
    let previous: ProviderResponse | undefined;
    for (;;) {
      let response: ProviderResponse;
      try {
        response = await generate(ctx, session, choice, params);
      } catch (error) {
        // A failed regeneration does not throw away the answer the person had: it is reviewed again.
        if (!previous || ctx.signal.aborted) throw error;
        const message = describeError(toMcpError(error));
        logger.warn(`Sampling ${ctx.requestId}: regenerating failed, the previous answer is reviewed again: ${message}`);
        notify(session, { kind: 'error', message: `Regenerating failed: ${message}. The previous answer is shown again.` });
        response = previous;
      }
      state.response = response;
      notify(session, { kind: 'response', response });
      // Reviewing a reply you just typed yourself would only ask twice.
      if (!review || choice.providerId === MANUAL_PROVIDER_ID) return { response, content: response.content };
      const decision = await waitForHuman(ctx, 'Waiting for the answer to be reviewed in VS Code', () => session.review(response, ctx.signal));
      if (decision.kind === 'accept') {
        state.contentEdited = !sameJson(decision.content, response.content);
        return { response, content: decision.content };
      }
      if (decision.kind === 'reject') {
        if (decision.unasked) throw refused(`The answer was not reviewed: ${decision.reason ?? 'the approval panel could not take it'}`);
        throw refused(`The user rejected the answer${decision.reason ? `: ${decision.reason}` : ''}`);
      }
      if (state.regenerations >= maxRegenerations) throw refused(`The answer was regenerated ${maxRegenerations} times without being accepted`);
      state.regenerations++;
      previous = response;
    }
  }

  function record(ctx: SamplingContext, state: RunState, receivedAt: number, outcome: HistoryOutcome, error?: McpError): void {
    if (!deps.history) return;
    const finishedAt = now();
    const entry: HistoryRecord = {
      version: 1,
      id: ctx.requestId,
      serverName: ctx.serverName,
      serverSource: ctx.serverSource,
      route: ctx.route,
      ...(ctx.protocolVersion ? { protocolVersion: ctx.protocolVersion } : {}),
      ...(ctx.toolCall ? { toolCall: ctx.toolCall } : {}),
      ...(ctx.runningToolCall ? { runningToolCall: ctx.runningToolCall } : {}),
      ...(ctx.caller !== undefined ? { caller: ctx.caller } : {}),
      receivedAt,
      finishedAt,
      latencyMs: finishedAt - receivedAt,
      outcome,
      decision: state.decision,
      request: state.request,
      editedRequest: state.editedRequest,
      choice: state.choice,
      model: state.response?.model,
      usage: state.response?.usage,
      result:
        state.content !== undefined
          ? { content: state.content, stopReason: state.response?.stopReason, edited: state.contentEdited, regenerations: state.regenerations }
          : undefined,
      error: error ? { code: error.code, message: describeError(error) } : undefined,
    };
    deps.history.append(entry).catch((e: unknown) => logger.warn(`Could not record the sampling request: ${describeError(e)}`));
  }

  /** Any failure as the McpError the server receives, with secrets scrubbed. */
  function toMcpError(error: unknown): McpError {
    const scrub = (text: string) => redactSecrets(text, deps.secrets?.() ?? []);
    if (error instanceof McpError) return new McpError(error.code, scrub(describeError(error)), error.data);
    // The panel went away (or was full) before a typed reply: a refusal, as for an approval.
    if (error instanceof PanelClosedError) return refused(`Sampling refused: ${scrub(error.message)}`);
    return internalError(`Sampling failed: ${scrub(describeError(error))}`);
  }

  return async (rawParams, ctx) => {
    const receivedAt = now();
    const state: RunState = { decision: 'invalid', contentEdited: false, regenerations: 0 };
    const settings = deps.config.get();
    let session: ApprovalSession | undefined;
    let releasePending: (() => void) | undefined;
    try {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const validated = validate(rawParams, ctx, settings);
      state.request = validated.params;
      state.decision = 'refused';
      const admission = policy.admit(settings, ctx.serverName);
      state.decision = admission.mode === 'ask' ? 'pending' : admission.reason === 'allowed for this session' ? 'session' : 'auto';
      const catalog = await raceAbort(deps.providers.catalog(ctx.signal), ctx.signal);
      let choice = selectProviderAndModel({ settings, serverName: ctx.serverName, preferences: validated.params.modelPreferences, catalog });
      state.choice = choice;
      let params = validated.params;
      const request = approvalRequest(ctx, validated, choice, catalog, receivedAt);
      const askPerson = admission.mode === 'ask';
      const review = SamplingPolicy.reviewsAnswer(settings, ctx.serverName, askPerson);
      const withPerson = askPerson || review || choice.providerId === MANUAL_PROVIDER_ID;
      // Every request that waits for a person (approval, review or a typed reply) counts until it ends.
      if (withPerson) releasePending = policy.acquirePending(settings, ctx.serverName);
      session = prompter.open(request, { withPerson });
      if (askPerson) {
        ({ params, choice } = await approve(ctx, settings, session, state, validated));
        state.choice = choice;
      } else {
        for (const warning of request.warnings) logger.warn(`Sampling ${ctx.requestId} from ${ctx.serverName}: ${warning}`);
      }
      logger.info(`Sampling ${ctx.requestId} from ${ctx.serverName}: ${choice.providerId}/${choice.model} (${choice.reason}; ${state.decision})`);
      const { response, content } = await answer(ctx, session, review, choice, params, state);
      state.content = content;
      const result = toSamplingResult(response, content, validated.params);
      notify(session, { kind: 'closed', outcome: 'answered', reason: `Answered by ${response.model}` });
      record(ctx, state, receivedAt, 'answered');
      logger.info(`Sampling ${ctx.requestId}: answered by ${response.model} in ${now() - receivedAt} ms (${result.stopReason ?? 'no stop reason'})`);
      return result;
    } catch (error) {
      if (ctx.signal.aborted) {
        const reason = describeAbortReason(ctx.signal.reason);
        const mcpError = new McpError(ErrorCode.RequestTimeout, `Sampling cancelled: ${reason}`);
        notify(session, { kind: 'closed', outcome: 'cancelled', reason });
        record(ctx, state, receivedAt, 'cancelled', mcpError);
        logger.info(`Sampling ${ctx.requestId}: cancelled (${reason})`);
        throw mcpError;
      }
      const mcpError = toMcpError(error);
      const message = describeError(mcpError);
      if (mcpError.code === SAMPLING_REFUSED) {
        notify(session, { kind: 'closed', outcome: 'rejected', reason: message });
        record(ctx, state, receivedAt, 'rejected', mcpError);
        logger.info(`Sampling ${ctx.requestId} from ${ctx.serverName}: refused (${message})`);
      } else {
        notify(session, { kind: 'error', message });
        notify(session, { kind: 'closed', outcome: 'failed', reason: message });
        record(ctx, state, receivedAt, 'failed', mcpError);
        logger.warn(`Sampling ${ctx.requestId} from ${ctx.serverName} failed: ${message}`);
      }
      throw mcpError;
    } finally {
      releasePending?.();
    }
  };
}
