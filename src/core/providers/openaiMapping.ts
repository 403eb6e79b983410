/**
 * Pure translation between MCP sampling and OpenAI chat completions, so it can be tested without a
 * network: MCP messages -> chat messages (images as data URIs, audio as input_audio, tool_use ->
 * tool_calls, tool_result -> role "tool"), and a response (streamed or not) -> MCP content + stopReason.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import type { SamplingMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ProviderRequest, ProviderResponse } from './types';
import { ProviderError } from './providerError';

type Block = Exclude<SamplingMessage['content'], readonly unknown[]>;
type ToolResultBlock = Extract<Block, { type: 'tool_result' }>;

function blocksOf(message: SamplingMessage): Block[] {
  return Array.isArray(message.content) ? message.content : [message.content as Block];
}

const AUDIO_FORMATS: Readonly<Record<string, 'wav' | 'mp3'>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
};

function audioFormat(mimeType: string): 'wav' | 'mp3' {
  const format = AUDIO_FORMATS[mimeType.toLowerCase()];
  if (!format) throw new ProviderError('request', `OpenAI-compatible endpoints accept wav or mp3 audio, not ${mimeType}`);
  return format;
}

function toolResultText(block: ToolResultBlock): string {
  const parts: string[] = [];
  for (const inner of block.content) {
    if (inner.type === 'text') parts.push(inner.text);
    // Fixed words only: no media type or other metadata becomes prompt text (issue 23).
    else if (inner.type === 'image' || inner.type === 'audio') parts.push(`[${inner.type} omitted]`);
    else if (inner.type === 'resource') parts.push('text' in inner.resource ? inner.resource.text : `[resource ${inner.resource.uri}]`);
    else if (inner.type === 'resource_link') parts.push(`[resource ${inner.uri}]`);
  }
  if (parts.length === 0 && block.structuredContent !== undefined) parts.push(JSON.stringify(block.structuredContent));
  const text = parts.join('\n');
  return block.isError ? `Error: ${text}` : text;
}

function userMessages(message: SamplingMessage): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  const parts: ChatCompletionContentPart[] = [];
  for (const block of blocksOf(message)) {
    if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push({ type: 'image_url', image_url: { url: `data:${block.mimeType};base64,${block.data}` } });
    else if (block.type === 'audio') parts.push({ type: 'input_audio', input_audio: { data: block.data, format: audioFormat(block.mimeType) } });
    else if (block.type === 'tool_result') out.push({ role: 'tool', tool_call_id: block.toolUseId, content: toolResultText(block) });
    else throw new ProviderError('request', `a user message cannot carry ${block.type} content`);
  }
  if (parts.length > 0) {
    const onlyText = parts.every((p) => p.type === 'text');
    out.push({ role: 'user', content: onlyText ? parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n') : parts });
  }
  return out;
}

function assistantMessage(message: SamplingMessage): ChatCompletionMessageParam {
  const texts: string[] = [];
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of blocksOf(message)) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
    // Chat completions has no media in assistant turns; keep a marker so the turn still makes sense.
    else if (block.type === 'image' || block.type === 'audio') texts.push(`[${block.type}]`);
    else throw new ProviderError('request', `an assistant message cannot carry ${block.type} content`);
  }
  return {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('\n') : null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

export function toChatMessages(request: Pick<ProviderRequest, 'systemPrompt' | 'messages'>): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (request.systemPrompt) out.push({ role: 'system', content: request.systemPrompt });
  for (const message of request.messages) {
    if (message.role === 'user') out.push(...userMessages(message));
    else out.push(assistantMessage(message));
  }
  return out;
}

export function toChatTools(request: Pick<ProviderRequest, 'tools' | 'toolChoice'>): {
  tools?: ChatCompletionFunctionTool[];
  tool_choice?: ChatCompletionToolChoiceOption;
} {
  if (!request.tools || request.tools.length === 0) return {};
  const tools = request.tools.map(
    (tool): ChatCompletionFunctionTool => ({
      type: 'function',
      function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.inputSchema as Record<string, unknown> },
    }),
  );
  return { tools, tool_choice: request.toolChoice?.mode ?? 'auto' };
}

/** What a completion amounts to, whether it was streamed (accumulated) or not. */
export interface ChatOutcome {
  readonly model?: string;
  readonly text: string;
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly arguments: string }[];
  readonly finishReason?: string | null;
  /** vLLM and some others say which stop string matched. */
  readonly matchedStop?: unknown;
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number } | null;
}

/**
 * OpenAI reports "stop" both for a natural end and for a stop sequence. We say stopSequence only when
 * the endpoint tells us which stop string matched (vLLM's `stop_reason`); otherwise endTurn.
 */
export function mapStopReason(outcome: ChatOutcome, stopSequences: readonly string[] | undefined): ProviderResponse['stopReason'] {
  switch (outcome.finishReason) {
    case 'stop':
      return typeof outcome.matchedStop === 'string' && (stopSequences ?? []).includes(outcome.matchedStop) ? 'stopSequence' : 'endTurn';
    case 'length':
      return 'maxTokens';
    case 'tool_calls':
    case 'function_call':
      return 'toolUse';
    case 'content_filter':
      return 'contentFilter';
    case null:
    case undefined:
      return outcome.toolCalls.length > 0 ? 'toolUse' : 'endTurn';
    default:
      return outcome.finishReason;
  }
}

function parseArguments(name: string, args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new ProviderError('malformed', `the model called tool "${name}" with arguments that are not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError('malformed', `the model called tool "${name}" with arguments that are not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export function toProviderResponse(outcome: ChatOutcome, request: ProviderRequest): ProviderResponse {
  const usage = outcome.usage ? { inputTokens: outcome.usage.prompt_tokens, outputTokens: outcome.usage.completion_tokens } : undefined;
  const model = outcome.model || request.model;
  const stopReason = mapStopReason(outcome, request.stopSequences);
  if (outcome.toolCalls.length > 0) {
    const content = [
      ...(outcome.text !== '' ? [{ type: 'text' as const, text: outcome.text }] : []),
      ...outcome.toolCalls.map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: parseArguments(call.name, call.arguments) })),
    ];
    return { model, content, stopReason, ...(usage ? { usage } : {}) };
  }
  return { model, content: { type: 'text', text: outcome.text }, stopReason, ...(usage ? { usage } : {}) };
}
