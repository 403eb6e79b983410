/**
 * What one sampling run learned, and the one place that turns it into its history record: the
 * decision is derived from the facts (how far the request got, how it was admitted, what a person
 * decided), never set along the way.
 */
import type { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { HistoryDecision, HistoryOutcome, HistoryRecord } from '../history/history';
import { describeError } from './errors';
import type { Admission } from './policy';
import type { ApprovalDecision, ProviderChoice, ProviderResponse, ResponseContent, SamplingContext, SamplingParams } from './types';

/** Filled by the run from what each step returned; absent means the step was not reached (or failed). */
export interface RunFacts {
  receivedAt: number;
  /** The request as the server sent it, once valid. */
  request?: SamplingParams;
  admission?: Admission;
  /** A person's answer to the approval, when one was asked. */
  approval?: ApprovalDecision;
  /** The request as sent to the model, when the person edited it. */
  editedRequest?: SamplingParams;
  choice?: ProviderChoice;
  response?: ProviderResponse;
  /** The answer as returned to the server (possibly edited in review). */
  content?: ResponseContent;
  contentEdited: boolean;
  regenerations: number;
}

export function newRunFacts(receivedAt: number): RunFacts {
  return { receivedAt, contentEdited: false, regenerations: 0 };
}

/** How the request was let through, or where it stopped. */
export function historyDecision(facts: RunFacts): HistoryDecision {
  if (!facts.request) return 'invalid';
  if (!facts.admission) return 'refused';
  if (facts.admission.mode === 'auto') return facts.admission.reason.kind === 'allowed-for-session' ? 'session' : 'auto';
  if (!facts.approval) return 'pending';
  if (facts.approval.kind === 'approve') return 'approved';
  return facts.approval.unasked ? 'refused' : 'rejected';
}

export function historyRecord(ctx: SamplingContext, facts: RunFacts, finishedAt: number, outcome: HistoryOutcome, error?: McpError): HistoryRecord {
  return {
    version: 1,
    id: ctx.requestId,
    serverName: ctx.serverName,
    serverSource: ctx.serverSource,
    route: ctx.route,
    ...(ctx.protocolVersion ? { protocolVersion: ctx.protocolVersion } : {}),
    ...(ctx.toolCall ? { toolCall: ctx.toolCall } : {}),
    ...(ctx.runningToolCall ? { runningToolCall: ctx.runningToolCall } : {}),
    ...(ctx.caller !== undefined ? { caller: ctx.caller } : {}),
    receivedAt: facts.receivedAt,
    finishedAt,
    latencyMs: finishedAt - facts.receivedAt,
    outcome,
    decision: historyDecision(facts),
    request: facts.request,
    editedRequest: facts.editedRequest,
    choice: facts.choice,
    model: facts.response?.model,
    usage: facts.response?.usage,
    result:
      facts.content !== undefined
        ? { content: facts.content, stopReason: facts.response?.stopReason, edited: facts.contentEdited, regenerations: facts.regenerations }
        : undefined,
    error: error ? { code: error.code, message: describeError(error) } : undefined,
  };
}
