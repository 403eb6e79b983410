/**
 * One sampling request's run, from the server's raw params to the result. Each step returns what it
 * found (validate -> admit -> choose a model -> ask -> complete -> review), `run` keeps those results as
 * the run's facts, and `finish` records them once (runRecord.ts decides what the history says).
 * The request's signal (server cancelled, timed out or disconnected) ends every step; the session
 * always gets `closed`.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { HistoryOutcome, HistorySink } from '../history/history';
import type { Logger } from '../logger';
import { PanelClosedError, type ApprovalSession } from '../approval/types';
import { formatWarning } from '../approval/warnings';
import { redactSecrets } from '../secrets';
import { describeAbortReason, raceAbort } from '../async';
import { buildApprovalRequest } from './approvalRequest';
import { describeError, internalError, invalidParams, refused, SAMPLING_REFUSED } from './errors';
import { selectProviderAndModel, type ProviderCatalogEntry } from './modelSelection';
import { SamplingPolicy, type Admission } from './policy';
import { toSamplingResult } from './resultShape';
import { historyDecision, historyRecord, newRunFacts, type RunFacts } from './runRecord';
import type { RequestServer } from './approvalScope';
import type { ApprovedDefinition, SamplingConfigSource, SamplingSettings } from './settings';
import type {
  ApprovalDecision,
  ApprovalPrompter,
  ModelProvider,
  PersonAtHand,
  ProviderChoice,
  ProviderResponse,
  Remember,
  RequestEvent,
  ResponseContent,
  ReviewDecision,
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

/** What every run of one pipeline shares: its dependencies with the defaults filled in. */
export interface RunEnvironment {
  readonly config: SamplingConfigSource;
  readonly providers: ProviderSource;
  readonly prompter: ApprovalPrompter;
  readonly history?: HistorySink;
  readonly logger: Logger;
  readonly policy: SamplingPolicy;
  readonly clientSupportsTools: (serverName: string) => boolean;
  readonly persistAlwaysAllow?: (server: RequestServer) => Promise<void>;
  /** The definition of a server a workspace defines, which approvals must name (undefined for the user's own servers). */
  readonly workspaceDefinition: (serverName: string) => ApprovedDefinition | undefined;
  readonly secrets: () => readonly string[];
  readonly progressIntervalMs: number;
  readonly maxRegenerations: number;
  readonly now: () => number;
}

/** What is sent to the model: the server's request, or the person's edit of it and choice. */
interface Send {
  readonly params: SamplingParams;
  readonly choice: ProviderChoice;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class SamplingRun {
  private readonly settings: SamplingSettings;
  private readonly facts: RunFacts;
  /** The workspace definition this request's server comes from, read once per request. */
  private readonly workspaceDefinition: ApprovedDefinition | undefined;
  private session: ApprovalSession | undefined;

  constructor(
    private readonly env: RunEnvironment,
    private readonly ctx: SamplingContext,
  ) {
    this.facts = newRunFacts(env.now());
    this.settings = env.config.get();
    this.workspaceDefinition = env.workspaceDefinition(ctx.serverName);
  }

  async run(rawParams: unknown): Promise<SamplingResult | SamplingResultWithTools> {
    const { ctx, facts, env } = this;
    let releasePending: (() => void) | undefined;
    try {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const validated = this.validate(rawParams);
      facts.request = validated.params;
      const admission = this.admit();
      facts.admission = admission;
      const { catalog, choice } = await this.chooseModel(validated);
      facts.choice = choice;
      const request = buildApprovalRequest(ctx, validated, choice, catalog, facts.receivedAt, admission.notApplied);
      const askPerson = admission.mode === 'ask';
      const reviews = SamplingPolicy.reviewsAnswer(this.settings, ctx.serverName, askPerson);
      const withPerson = askPerson || reviews || this.answeredByPerson(choice);
      // Every request that waits for a person (approval, review or a typed reply) counts until it ends.
      if (withPerson) releasePending = env.policy.acquirePending(this.settings, ctx.serverName);
      const session = env.prompter.open(request, { withPerson });
      this.session = session;
      let send: Send = { params: validated.params, choice };
      if (askPerson) {
        const decision = await this.ask(session);
        facts.approval = decision;
        send = await this.approved(decision, validated);
        facts.choice = send.choice;
      } else {
        for (const warning of request.warnings) env.logger.warn(`Sampling ${ctx.requestId} from ${ctx.serverName}: ${formatWarning(warning)}`);
      }
      env.logger.info(`Sampling ${ctx.requestId} from ${ctx.serverName}: ${send.choice.providerId}/${send.choice.model} (${send.choice.reason}; ${historyDecision(facts)})`);
      const { response, content } = await this.answer(session, reviews, send);
      facts.content = content;
      const result = toSamplingResult(response, content, validated.params);
      this.finish('answered', `model ${response.model}`);
      env.logger.info(`Sampling ${ctx.requestId}: answered by ${response.model} in ${env.now() - facts.receivedAt} ms (${result.stopReason ?? 'no stop reason'})`);
      return result;
    } catch (error) {
      throw this.failed(error);
    } finally {
      releasePending?.();
    }
  }

  // ---- the steps ----

  private validate(raw: unknown): ValidatedRequest {
    const { settings, ctx } = this;
    return validateSamplingParams(raw, {
      clientSupportsTools: this.env.clientSupportsTools(ctx.serverName),
      maxRequestBytes: settings.limits.maxRequestBytes,
      maxMessages: settings.limits.maxMessages,
      maxTokensCap: settings.limits.maxTokensCap,
      serverMaxTokens: settings.serverSampling[ctx.serverName]?.maxTokens,
    });
  }

  /** Throws the policy's refusal; an admitted request counts against the rate limit. */
  private admit(): Admission {
    return this.env.policy.admit(this.settings, this.ctx.serverName, this.workspaceDefinition);
  }

  private async chooseModel(validated: ValidatedRequest): Promise<{ catalog: readonly ProviderCatalogEntry[]; choice: ProviderChoice }> {
    const catalog = await raceAbort(this.env.providers.catalog(this.ctx.signal), this.ctx.signal);
    const choice = selectProviderAndModel({ settings: this.settings, serverName: this.ctx.serverName, preferences: validated.params.modelPreferences, catalog });
    return { catalog, choice };
  }

  private ask(session: ApprovalSession): Promise<ApprovalDecision> {
    return this.waitForHuman('Waiting for approval in VS Code', () => session.approve(this.ctx.signal));
  }

  /** What a person's approval sends: a rejection throws, an edit is validated again, "remember" is kept. */
  private async approved(decision: ApprovalDecision, validated: ValidatedRequest): Promise<Send> {
    if (decision.kind === 'reject') {
      if (decision.unasked) throw refused(`Sampling refused without asking: ${decision.reason ?? 'the approval panel could not take the request'}`);
      throw refused(`The user rejected the sampling request${decision.reason ? `: ${decision.reason}` : ''}`);
    }
    let params = validated.params;
    if (!sameJson(decision.params, validated.params)) {
      try {
        params = this.validate(decision.params).params;
      } catch (error) {
        throw invalidParams(`The edited request is invalid: ${describeError(error)}`);
      }
      this.facts.editedRequest = params;
    }
    if (decision.remember) await this.remember(decision.remember);
    return { params, choice: decision.choice };
  }

  /** "Allow for this session" and "always allow" both allow the server for the session; "always" also saves the setting. */
  private async remember(remember: Remember): Promise<void> {
    const { env, ctx } = this;
    const workspaceDefinition = this.workspaceDefinition;
    env.policy.allowForSession(ctx.serverName, workspaceDefinition);
    if (remember !== 'always' || !env.persistAlwaysAllow) return;
    try {
      await env.persistAlwaysAllow({ serverName: ctx.serverName, ...(workspaceDefinition ? { workspaceDefinition } : {}) });
    } catch (error) {
      env.logger.warn(`Could not save "always allow" for ${ctx.serverName}: ${describeError(error)}`);
    }
  }

  /** The answer the server gets: completed, then reviewed when it applies, regenerated on request. */
  private async answer(session: ApprovalSession, reviews: boolean, send: Send): Promise<{ response: ProviderResponse; content: ResponseContent }> {
    const { ctx, facts, env } = this;
    /** The answer under review when the person asked for another. */
    let previous: ProviderResponse | undefined;
    for (;;) {
      let response: ProviderResponse;
      try {
        response = await this.complete(session, send);
      } catch (error) {
        // A failed regeneration does not throw away the answer the person had: it is reviewed again.
        if (!previous || ctx.signal.aborted) throw error;
        const message = describeError(this.toMcpError(error));
        env.logger.warn(`Sampling ${ctx.requestId}: regenerating failed, the previous answer is reviewed again: ${message}`);
        this.notify({ kind: 'error', message: `Regenerating failed: ${message}. The previous answer is shown again.` });
        response = previous;
      }
      facts.response = response;
      this.notify({ kind: 'response', response });
      // Reviewing a reply you just typed yourself would only ask twice.
      if (!reviews || this.answeredByPerson(send.choice)) return { response, content: response.content };
      const decision = await this.review(session, response);
      if (decision.kind === 'accept') {
        facts.contentEdited = !sameJson(decision.content, response.content);
        return { response, content: decision.content };
      }
      if (decision.kind === 'reject') {
        if (decision.unasked) throw refused(`The answer was not reviewed: ${decision.reason ?? 'the approval panel could not take it'}`);
        throw refused(`The user rejected the answer${decision.reason ? `: ${decision.reason}` : ''}`);
      }
      if (facts.regenerations >= env.maxRegenerations) throw refused(`The answer was regenerated ${env.maxRegenerations} times without being accepted`);
      facts.regenerations++;
      previous = response;
    }
  }

  private async complete(session: ApprovalSession, { params, choice }: Send): Promise<ProviderResponse> {
    const { ctx, env } = this;
    const provider = env.providers.get(choice.providerId);
    if (!provider) throw internalError(`The provider "${choice.providerId}" is not available`);
    env.logger.trace(`Sampling ${ctx.requestId}: sending to ${provider.label}/${choice.model}`, params);
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
    const onDelta = (text: string) => this.notify({ kind: 'delta', text });
    const person: PersonAtHand = { typedReply: (signal) => this.waitForHuman('Waiting for a typed reply in VS Code', () => session.manualReply(signal)) };
    return raceAbort(provider.complete(request, onDelta, ctx.signal, person), ctx.signal);
  }

  /** A provider whose answer a person types (the manual reply). */
  private answeredByPerson(choice: ProviderChoice): boolean {
    return this.env.providers.get(choice.providerId)?.answeredByPerson === true;
  }

  private review(session: ApprovalSession, response: ProviderResponse): Promise<ReviewDecision> {
    return this.waitForHuman('Waiting for the answer to be reviewed in VS Code', () => session.review(response, this.ctx.signal));
  }

  // ---- the end ----

  /** Closes the session and records the run, once, with the outcome. */
  private finish(outcome: HistoryOutcome, reason: string, error?: McpError): void {
    const { env, ctx, facts } = this;
    this.notify({ kind: 'closed', outcome, reason });
    if (!env.history) return;
    env.history.append(historyRecord(ctx, facts, env.now(), outcome, error)).catch((e: unknown) => env.logger.warn(`Could not record the sampling request: ${describeError(e)}`));
  }

  /** The error the server receives for a run that did not answer, after closing and recording it. */
  private failed(error: unknown): McpError {
    const { ctx, env } = this;
    if (ctx.signal.aborted) {
      const reason = describeAbortReason(ctx.signal.reason);
      const mcpError = new McpError(ErrorCode.RequestTimeout, `Sampling cancelled: ${reason}`);
      this.finish('cancelled', reason, mcpError);
      env.logger.info(`Sampling ${ctx.requestId}: cancelled (${reason})`);
      return mcpError;
    }
    const mcpError = this.toMcpError(error);
    const message = describeError(mcpError);
    if (mcpError.code === SAMPLING_REFUSED) {
      this.finish('rejected', message, mcpError);
      env.logger.info(`Sampling ${ctx.requestId} from ${ctx.serverName}: refused (${message})`);
    } else {
      this.notify({ kind: 'error', message });
      this.finish('failed', message, mcpError);
      env.logger.warn(`Sampling ${ctx.requestId} from ${ctx.serverName} failed: ${message}`);
    }
    return mcpError;
  }

  /** Any failure as the McpError the server receives, with secrets scrubbed. */
  private toMcpError(error: unknown): McpError {
    const scrub = (text: string) => redactSecrets(text, this.env.secrets());
    if (error instanceof McpError) return new McpError(error.code, scrub(describeError(error)), error.data);
    // The panel went away (or was full) before a typed reply: a refusal, as for an approval.
    if (error instanceof PanelClosedError) return refused(`Sampling refused: ${scrub(error.message)}`);
    return internalError(`Sampling failed: ${scrub(describeError(error))}`);
  }

  // ---- talking to the person ----

  private notify(event: RequestEvent): void {
    try {
      this.session?.notify(event);
    } catch (error) {
      this.env.logger.warn(`The approval UI failed to take an event: ${describeError(error)}`);
    }
  }

  /** Waits for a human, keeping the server's timeout alive with progress notifications. */
  private async waitForHuman<T>(message: string, ask: () => Promise<T>): Promise<T> {
    const report = this.ctx.reportProgress;
    const tick = () => {
      try {
        report?.(message);
      } catch {
        // A closed connection cannot take progress; the signal will end the wait.
      }
    };
    tick();
    const timer = report ? setInterval(tick, this.env.progressIntervalMs) : undefined;
    try {
      return await raceAbort(ask(), this.ctx.signal);
    } finally {
      if (timer) clearInterval(timer);
    }
  }
}
