/**
 * The pipeline's answer (an MCP sampling result) in OpenAI's shapes: a `chat.completion`, or the
 * `chat.completion.chunk`s of a stream. Tool calls become `tool_calls` (arguments as JSON text).
 */
import type { ResponseContent, TokenUsage } from '../../providers/types';
import type { SamplingResult, SamplingResultWithTools } from '../../sampling/types';

type Block = Exclude<ResponseContent, readonly unknown[]>;

export interface OpenAiToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface OpenAiUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

const FINISH: Readonly<Record<string, string>> = { endTurn: 'stop', stopSequence: 'stop', maxTokens: 'length', toolUse: 'tool_calls' };

export function finishReason(stopReason: string | undefined, hasToolCalls: boolean): string {
  if (hasToolCalls) return 'tool_calls';
  return FINISH[stopReason ?? 'endTurn'] ?? 'stop';
}

function blocksOf(content: ResponseContent): Block[] {
  return Array.isArray(content) ? (content as Block[]) : [content as Block];
}

/** The answer's text and tool calls. A non-text block (image, audio) is named in the text rather than dropped unseen. */
export function answerParts(result: SamplingResult | SamplingResultWithTools): { text: string; toolCalls: OpenAiToolCall[] } {
  const texts: string[] = [];
  const toolCalls: OpenAiToolCall[] = [];
  for (const block of blocksOf(result.content as ResponseContent)) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
    else texts.push(`[${block.type} content (${'mimeType' in block ? block.mimeType : 'unknown type'}) is not returned by this endpoint]`);
  }
  return { text: texts.join('\n'), toolCalls };
}

export function toUsage(usage: TokenUsage | undefined): OpenAiUsage {
  const prompt = usage?.inputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

export interface CompletionIdentity {
  readonly id: string;
  /** Seconds since the epoch. */
  readonly created: number;
}

export function toChatCompletion(identity: CompletionIdentity, result: SamplingResult | SamplingResultWithTools, usage: TokenUsage | undefined) {
  const { text, toolCalls } = answerParts(result);
  return {
    id: identity.id,
    object: 'chat.completion' as const,
    created: identity.created,
    model: result.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: text === '' && toolCalls.length > 0 ? null : text, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: finishReason(result.stopReason, toolCalls.length > 0),
      },
    ],
    usage: toUsage(usage),
  };
}

type ChunkDelta = { role?: 'assistant'; content?: string; tool_calls?: (OpenAiToolCall & { index: number })[] };

export function chunk(identity: CompletionIdentity, model: string, delta: ChunkDelta, finish: string | null, withUsageField: boolean) {
  return {
    id: identity.id,
    object: 'chat.completion.chunk' as const,
    created: identity.created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(withUsageField ? { usage: null } : {}),
  };
}

/** The last chunk of a stream that asked for usage (`stream_options.include_usage`): no choices. */
export function usageChunk(identity: CompletionIdentity, model: string, usage: TokenUsage | undefined) {
  return { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model, choices: [], usage: toUsage(usage) };
}
