/**
 * An OpenAI chat completion request, checked field by field and turned into the MCP sampling
 * request the pipeline takes (the pipeline then validates it as it does a server's). Every refusal
 * names the field. Fields that change nothing a person must see (user, seed, top_p…) are listed in
 * the request's metadata, so the card shows what was not honoured.
 */
import type { SamplingMessage, Tool } from '@modelcontextprotocol/sdk/types.js';
import { badField } from './errors';
import { ANY_MODEL_NAMES } from './models';

/** The default when the caller sets no max_tokens: the pipeline lowers it further to its caps. */
export const DEFAULT_MAX_TOKENS = 4096;

type Block = Exclude<SamplingMessage['content'], readonly unknown[]>;
type Json = Record<string, unknown>;

export interface MappedChatRequest {
  /** `sampling/createMessage` params, not yet validated by the pipeline. */
  readonly params: Json;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** The requested model, used as a hint. */
  readonly model?: string;
}

/** Accepted and passed through with no effect: said on the card. */
const IGNORED = ['user', 'seed', 'top_p', 'frequency_penalty', 'presence_penalty', 'logit_bias', 'parallel_tool_calls', 'service_tier', 'store', 'metadata', 'reasoning_effort', 'prompt_cache_key', 'safety_identifier', 'verbosity'];
const KNOWN = new Set(['model', 'messages', 'max_tokens', 'max_completion_tokens', 'temperature', 'stop', 'tools', 'tool_choice', 'stream', 'stream_options', 'n', 'response_format', 'logprobs', 'top_logprobs', 'modalities', 'audio', 'functions', 'function_call', 'prediction', 'web_search_options', ...IGNORED]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(value: unknown, param: string): string {
  if (typeof value !== 'string') throw badField(param, 'must be a string');
  return value;
}

function positiveInt(value: unknown, param: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw badField(param, 'must be a whole number of at least 1');
  return value;
}

/** `data:image/png;base64,…` → an MCP image block. The endpoint fetches nothing, so a web URL is refused. */
function imageBlock(part: Json, param: string): Block {
  const image = part.image_url;
  const url = isObject(image) ? image.url : image;
  const text = str(url, `${param}.image_url.url`);
  const match = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]+)$/i.exec(text);
  if (!match) throw badField(`${param}.image_url.url`, 'only data: URLs with base64 images are accepted (the endpoint fetches nothing from the web)');
  return { type: 'image', mimeType: match[1]!.toLowerCase(), data: match[2]!.replace(/\s+/g, '') };
}

function audioBlock(part: Json, param: string): Block {
  const audio = isObject(part.input_audio) ? part.input_audio : undefined;
  if (!audio) throw badField(`${param}.input_audio`, 'must be an object with data and format');
  const format = str(audio.format, `${param}.input_audio.format`);
  if (format !== 'wav' && format !== 'mp3') throw badField(`${param}.input_audio.format`, 'must be "wav" or "mp3"');
  return { type: 'audio', mimeType: format === 'wav' ? 'audio/wav' : 'audio/mpeg', data: str(audio.data, `${param}.input_audio.data`) };
}

/** A message's content as MCP blocks: a string, or parts (text, image_url, input_audio; refusal for the assistant). */
function contentBlocks(content: unknown, param: string, allowMedia: boolean): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw badField(param, 'must be a string or an array of content parts');
  return content.map((part, j): Block => {
    const where = `${param}[${j}]`;
    if (!isObject(part)) throw badField(where, 'must be a content part object');
    if (part.type === 'text') return { type: 'text', text: str(part.text, `${where}.text`) };
    if (part.type === 'refusal') return { type: 'text', text: str(part.refusal, `${where}.refusal`) };
    if (allowMedia && part.type === 'image_url') return imageBlock(part, where);
    if (allowMedia && part.type === 'input_audio') return audioBlock(part, where);
    throw badField(`${where}.type`, `${JSON.stringify(part.type)} is not supported here`);
  });
}

function textOnly(content: unknown, param: string): string {
  return contentBlocks(content, param, false)
    .map((b) => (b.type === 'text' ? b.text : ''))
    .join('\n');
}

function toolUses(toolCalls: unknown, param: string): Block[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw badField(param, 'must be an array');
  return toolCalls.map((call, j): Block => {
    const where = `${param}[${j}]`;
    if (!isObject(call) || !isObject(call.function)) throw badField(where, 'must be {"id", "type": "function", "function": {"name", "arguments"}}');
    const args = str(call.function.arguments ?? '{}', `${where}.function.arguments`);
    let input: unknown;
    try {
      input = args.trim() === '' ? {} : JSON.parse(args);
    } catch {
      throw badField(`${where}.function.arguments`, 'is not JSON');
    }
    if (!isObject(input)) throw badField(`${where}.function.arguments`, 'must be a JSON object');
    return { type: 'tool_use', id: str(call.id, `${where}.id`), name: str(call.function.name, `${where}.function.name`), input } as Block;
  });
}

/** System and developer messages become the system prompt; consecutive tool messages one user message of tool results. */
function mapMessages(raw: unknown): { systemPrompt?: string; messages: SamplingMessage[] } {
  if (!Array.isArray(raw) || raw.length === 0) throw badField('messages', 'must be a non-empty array');
  const system: string[] = [];
  const messages: SamplingMessage[] = [];
  raw.forEach((message, i) => {
    const param = `messages[${i}]`;
    if (!isObject(message)) throw badField(param, 'must be an object');
    const role = message.role;
    if (role === 'system' || role === 'developer') {
      system.push(textOnly(message.content, `${param}.content`));
    } else if (role === 'user') {
      messages.push({ role: 'user', content: contentBlocks(message.content, `${param}.content`, true) });
    } else if (role === 'assistant') {
      const blocks = [...contentBlocks(message.content, `${param}.content`, false), ...toolUses(message.tool_calls, `${param}.tool_calls`)];
      messages.push({ role: 'assistant', content: blocks });
    } else if (role === 'tool') {
      const result = { type: 'tool_result', toolUseId: str(message.tool_call_id, `${param}.tool_call_id`), content: [{ type: 'text', text: textOnly(message.content, `${param}.content`) }] } as Block;
      const last = messages[messages.length - 1];
      const lastBlocks = last && Array.isArray(last.content) ? (last.content as Block[]) : undefined;
      if (last?.role === 'user' && lastBlocks && lastBlocks.length > 0 && lastBlocks.every((b) => b.type === 'tool_result')) (lastBlocks as Block[]).push(result);
      else messages.push({ role: 'user', content: [result] });
    } else {
      throw badField(`${param}.role`, `${JSON.stringify(role)} is not supported (use system, developer, user, assistant or tool)`);
    }
  });
  if (messages.length === 0) throw badField('messages', 'must hold at least one user or assistant message');
  const systemPrompt = system.filter((s) => s !== '').join('\n\n');
  return { ...(systemPrompt ? { systemPrompt } : {}), messages };
}

function mapTools(raw: unknown): Tool[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw badField('tools', 'must be an array');
  return raw.map((tool, i): Tool => {
    const param = `tools[${i}]`;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) throw badField(param, 'must be {"type": "function", "function": {...}}');
    const fn = tool.function;
    const parameters = fn.parameters ?? { type: 'object', properties: {} };
    if (!isObject(parameters)) throw badField(`${param}.function.parameters`, 'must be a JSON Schema object');
    return {
      name: str(fn.name, `${param}.function.name`),
      ...(fn.description !== undefined ? { description: str(fn.description, `${param}.function.description`) } : {}),
      inputSchema: { type: 'object', ...parameters } as Tool['inputSchema'],
    };
  });
}

/** `auto` | `none` | `required` | `{type: "function", function: {name}}` (only that tool is offered, and required). */
function mapToolChoice(raw: unknown, tools: Tool[] | undefined): { toolChoice?: { mode: 'auto' | 'none' | 'required' }; tools?: Tool[] } {
  if (raw === undefined || raw === null) return tools ? { tools } : {};
  if (raw === 'auto' || raw === 'none' || raw === 'required') return { toolChoice: { mode: raw }, ...(tools ? { tools } : {}) };
  if (isObject(raw) && raw.type === 'function' && isObject(raw.function)) {
    const name = str(raw.function.name, 'tool_choice.function.name');
    const tool = tools?.find((t) => t.name === name);
    if (!tool) throw badField('tool_choice.function.name', `no tool named ${JSON.stringify(name)} is in tools`);
    return { toolChoice: { mode: 'required' }, tools: [tool] };
  }
  throw badField('tool_choice', 'must be "auto", "none", "required" or {"type": "function", "function": {"name"}}');
}

function mapStop(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.length > 4 || list.some((s) => typeof s !== 'string')) throw badField('stop', 'must be a string or an array of up to 4 strings');
  return list as string[];
}

function refuseUnsupported(body: Json): void {
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw badField('n', 'only 1 is supported: each completion is approved by a person, one at a time');
  if (body.logprobs === true) throw badField('logprobs', 'is not supported');
  if (body.functions !== undefined || body.function_call !== undefined) throw badField('functions', 'the deprecated functions API is not supported; use tools');
  const format = body.response_format;
  if (format !== undefined && format !== null && !(isObject(format) && format.type === 'text')) throw badField('response_format', 'only {"type": "text"} is supported');
  if (body.audio !== undefined && body.audio !== null) throw badField('audio', 'audio output is not supported');
  if (Array.isArray(body.modalities) && body.modalities.some((m) => m !== 'text')) throw badField('modalities', 'only "text" output is supported');
}

export function mapChatRequest(body: unknown): MappedChatRequest {
  if (!isObject(body)) throw badField('body', 'must be a JSON object');
  refuseUnsupported(body);
  const model = body.model === undefined || body.model === null ? undefined : str(body.model, 'model');
  const { systemPrompt, messages } = mapMessages(body.messages);
  const maxRaw = body.max_completion_tokens ?? body.max_tokens;
  const maxTokens = maxRaw === undefined || maxRaw === null ? DEFAULT_MAX_TOKENS : positiveInt(maxRaw, body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens');
  if (body.temperature !== undefined && body.temperature !== null && typeof body.temperature !== 'number') throw badField('temperature', 'must be a number');
  const stream = body.stream === true;
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw badField('stream', 'must be true or false');
  const options = isObject(body.stream_options) ? body.stream_options : undefined;
  const stopSequences = mapStop(body.stop);
  const tooling = mapToolChoice(body.tool_choice, mapTools(body.tools));
  const ignored = Object.keys(body).filter((k) => IGNORED.includes(k) || !KNOWN.has(k));
  const params: Json = {
    messages,
    maxTokens,
    ...(systemPrompt ? { systemPrompt } : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(stopSequences ? { stopSequences } : {}),
    ...tooling,
    ...(model && !ANY_MODEL_NAMES.includes(model.trim().toLowerCase()) ? { modelPreferences: { hints: [{ name: model }] } } : {}),
    ...(ignored.length > 0 ? { metadata: { notHonoured: ignored.sort() } } : {}),
  };
  return { params, stream, includeUsage: stream && options?.include_usage === true, ...(model ? { model } : {}) };
}
