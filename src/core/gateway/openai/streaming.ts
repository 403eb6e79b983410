/**
 * A streamed completion (`stream: true`): OpenAI's `chat.completion.chunk` events over SSE. Nothing
 * is sent before the answer starts, so a refusal still gets its own status (403, 429…). Text streams
 * as the provider writes it only when no person reviews the answer; under review the accepted
 * (possibly edited) answer is sent once accepted, since the caller must not read what the person
 * has not yet let through. An error after the stream began is sent as an `error` event.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../../logger';
import type { TokenUsage } from '../../providers/types';
import type { SamplingContext } from '../../sampling/types';
import type { SamplingRun } from './observedPrompter';
import { fromPipelineError } from './errors';
import type { MappedChatRequest } from './requestMapping';
import { answerParts, chunk, finishReason, usageChunk, type CompletionIdentity } from './responseMapping';
import { SseWriter } from './sseWriter';

export interface StreamArgs {
  readonly res: ServerResponse;
  readonly identity: CompletionIdentity;
  readonly mapped: MappedChatRequest;
  readonly ctx: SamplingContext;
  readonly run: SamplingRun;
  readonly reviewsAnswer: (serverName: string, approvedByPerson: boolean) => boolean;
  readonly logger: Logger;
}

export async function streamCompletion(args: StreamArgs): Promise<void> {
  const { res, identity, mapped, ctx } = args;
  const usageField = mapped.includeUsage;
  let writer: SseWriter | undefined;
  let model = mapped.model ?? 'auto';
  let askedPerson = false;
  let live: boolean | undefined;
  let streamed = '';
  let usage: TokenUsage | undefined;

  const start = (): SseWriter => {
    if (writer) return writer;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    const w = new SseWriter(res, (text) => chunk(identity, model, { content: text }, null, usageField));
    res.once('close', () => w.abandon());
    writer = w;
    // The first chunk names the role, as OpenAI's does.
    w.send(chunk(identity, model, { role: 'assistant', content: '' }, null, usageField));
    return w;
  };

  try {
    const result = await args.run(mapped.params, ctx, {
      approvalAsked: () => (askedPerson = true),
      delta: (text) => {
        live ??= !args.reviewsAnswer(ctx.serverName, askedPerson);
        if (!live) return;
        streamed += text;
        start().text(text);
      },
      response: (response) => {
        usage = response.usage;
        model = response.model;
      },
    });
    model = result.model;
    const { text, toolCalls } = answerParts(result);
    const w = start();
    // What was not streamed yet (all of it under review, or from a provider that streams nothing).
    if (text.startsWith(streamed)) w.text(text.slice(streamed.length));
    else args.logger.warn(`LLM endpoint ${ctx.requestId}: the streamed text differs from the final answer; the caller has the streamed one`);
    const events: unknown[] = [];
    if (toolCalls.length > 0) events.push(chunk(identity, model, { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) }, null, usageField));
    events.push(chunk(identity, model, {}, finishReason(result.stopReason, toolCalls.length > 0), usageField));
    if (usageField) events.push(usageChunk(identity, model, usage));
    await w.finish(events);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const httpError = fromPipelineError(error);
    if (!writer) throw httpError;
    // The stream began: OpenAI's clients raise an `error` event as an APIError.
    await writer.finish([httpError.body()]);
  }
}
