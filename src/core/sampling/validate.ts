/**
 * Checks a server's raw `sampling/createMessage` params before anyone sees them: the SDK schema
 * (2025-11-25, with tools), our size limits, tool_use/tool_result pairing and the tools capability.
 * Every failure is an McpError -32602 whose message says what to fix (and which setting limits it).
 */
import { CreateMessageRequestParamsSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PARAMETER_BOUNDS } from '../../shared/parameterBounds';
import { invalidParams } from './errors';
import { SETTINGS } from '../settings';
import { checkMediaTypes } from './mediaTypes';
import type { SamplingMessage, SamplingParams } from './types';

export interface ValidationOptions {
  /** Whether we declared `capabilities.sampling.tools` to this server. */
  readonly clientSupportsTools: boolean;
  readonly maxRequestBytes: number;
  readonly maxMessages: number;
  readonly maxTokensCap: number;
  /** `mcpSampling.serverSampling[server].maxTokens`, a tighter cap for one server. */
  readonly serverMaxTokens?: number;
}

export interface ValidatedRequest {
  readonly params: SamplingParams;
  /** Size of the request as JSON, in bytes. */
  readonly bytes: number;
  /** Set when maxTokens was lowered to a cap: the requested value and the setting that lowered it. */
  readonly maxTokensLowered?: { readonly requested: number; readonly cap: number; readonly setting: string };
}

type ContentBlock = Exclude<SamplingMessage['content'], readonly unknown[]>;

/** A message's content as an array, whichever form the server used. */
export function contentBlocks(message: SamplingMessage): ContentBlock[] {
  return Array.isArray(message.content) ? message.content : [message.content as ContentBlock];
}

const MAX_ISSUES_IN_MESSAGE = 5;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  return out === '' ? '(params)' : out;
}

interface ZodLikeIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

function describeIssue(issue: ZodLikeIssue, raw: unknown): string {
  const path = formatPath(issue.path);
  if (issue.path[issue.path.length - 1] === 'role') {
    const value = valueAt(raw, issue.path);
    return `${path}: unknown role ${JSON.stringify(value) ?? String(value)} (expected "user" or "assistant")`;
  }
  return `${path}: ${issue.message}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function byteSize(raw: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(raw);
  } catch {
    throw invalidParams('Invalid sampling request: params are not JSON-serializable');
  }
  if (json === undefined) throw invalidParams('Invalid sampling request: params are missing');
  return Buffer.byteLength(json, 'utf8');
}

function checkToolPairing(messages: readonly SamplingMessage[]): void {
  const toolUseIds = new Set<string>();
  const answered = new Set<string>();
  messages.forEach((message, index) => {
    const blocks = contentBlocks(message);
    const hasToolResult = blocks.some((b) => b.type === 'tool_result');
    if (hasToolResult && blocks.some((b) => b.type !== 'tool_result')) {
      throw invalidParams(`messages[${index}]: a message with tool_result content must contain only tool_result blocks`);
    }
    for (const block of blocks) {
      if (block.type === 'tool_use') {
        if (message.role !== 'assistant') throw invalidParams(`messages[${index}]: tool_use content must be in an assistant message`);
        if (toolUseIds.has(block.id)) throw invalidParams(`messages[${index}]: duplicate tool_use id ${JSON.stringify(block.id)}`);
        toolUseIds.add(block.id);
      } else if (block.type === 'tool_result') {
        if (message.role !== 'user') throw invalidParams(`messages[${index}]: tool_result content must be in a user message`);
        if (!toolUseIds.has(block.toolUseId)) {
          throw invalidParams(`messages[${index}]: tool_result answers ${JSON.stringify(block.toolUseId)}, which no earlier tool_use has as its id`);
        }
        if (answered.has(block.toolUseId)) throw invalidParams(`messages[${index}]: tool_use ${JSON.stringify(block.toolUseId)} is answered twice`);
        answered.add(block.toolUseId);
      }
    }
    // The spec: tool_use must be answered by tool_result in the very next message (as the SDK's own createMessage checks).
    const next = messages[index + 1];
    const useIds = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    if (next && useIds.length > 0) {
      const results = new Set(contentBlocks(next).flatMap((b) => (b.type === 'tool_result' ? [b.toolUseId] : [])));
      const unanswered = useIds.find((id) => !results.has(id));
      if (unanswered !== undefined) {
        throw invalidParams(`messages[${index + 1}]: must answer tool_use ${JSON.stringify(unanswered)} of messages[${index}] with a tool_result`);
      }
    }
  });
}

function checkTools(params: SamplingParams, clientSupportsTools: boolean): void {
  if ((params.tools !== undefined || params.toolChoice !== undefined) && !clientSupportsTools) {
    throw invalidParams('tools/toolChoice were sent, but this client did not declare the sampling.tools capability');
  }
  const names = new Set<string>();
  for (const tool of params.tools ?? []) {
    if (names.has(tool.name)) throw invalidParams(`tools: duplicate tool name ${JSON.stringify(tool.name)}`);
    names.add(tool.name);
  }
  if (params.toolChoice?.mode === 'required' && (params.tools?.length ?? 0) === 0) {
    throw invalidParams('toolChoice.mode is "required" but no tools were offered');
  }
}

function validateUnsafe(raw: unknown, options: ValidationOptions): ValidatedRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidParams('Invalid sampling request: params must be an object');
  }
  const bytes = byteSize(raw);
  if (bytes > options.maxRequestBytes) {
    throw invalidParams(`The sampling request is ${bytes} bytes, over the limit of ${options.maxRequestBytes} bytes set by ${SETTINGS.maxRequestBytes.id}`);
  }
  // Counted before parsing so a huge message list is refused cheaply.
  const rawMessages = (raw as { messages?: unknown }).messages;
  if (Array.isArray(rawMessages) && rawMessages.length > options.maxMessages) {
    throw invalidParams(`The sampling request has ${rawMessages.length} messages, over the limit of ${options.maxMessages} set by ${SETTINGS.maxMessages.id}`);
  }
  const parsed = CreateMessageRequestParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues as readonly ZodLikeIssue[];
    const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => describeIssue(issue, raw));
    const more = issues.length > MAX_ISSUES_IN_MESSAGE ? ` (and ${issues.length - MAX_ISSUES_IN_MESSAGE} more)` : '';
    throw invalidParams(`Invalid sampling request: ${shown.join('; ')}${more}`);
  }
  const params = parsed.data as SamplingParams;
  if (params.task !== undefined) throw invalidParams('Task-augmented sampling is not supported by this client');
  if (params.messages.length === 0) throw invalidParams('Invalid sampling request: messages must not be empty');
  if (params.maxTokens < 1) throw invalidParams(`Invalid sampling request: maxTokens must be at least 1 (got ${params.maxTokens})`);
  const { min, max } = PARAMETER_BOUNDS.temperature;
  if (params.temperature !== undefined && !(params.temperature >= min && params.temperature <= max)) {
    throw invalidParams(`Invalid sampling request: temperature must be between ${min} and ${max} (got ${params.temperature})`);
  }
  checkTools(params, options.clientSupportsTools);
  checkToolPairing(params.messages);
  checkMediaTypes(params.messages);

  const serverCap = options.serverMaxTokens;
  const cap = serverCap !== undefined && serverCap < options.maxTokensCap ? Math.floor(serverCap) : options.maxTokensCap;
  const setting = serverCap !== undefined && serverCap < options.maxTokensCap ? `${SETTINGS.serverSampling.id}[server].maxTokens` : SETTINGS.maxTokensCap.id;
  if (params.maxTokens > cap) {
    return { params: { ...params, maxTokens: cap }, bytes, maxTokensLowered: { requested: params.maxTokens, cap, setting } };
  }
  return { params, bytes };
}

/** Validates and normalizes raw params; throws only McpError(-32602). */
export function validateSamplingParams(raw: unknown, options: ValidationOptions): ValidatedRequest {
  try {
    return validateUnsafe(raw, options);
  } catch (error) {
    if (error instanceof McpError) throw error;
    // A hostile object (throwing getters, odd prototypes) must still yield a -32602, not a crash.
    throw invalidParams(`Invalid sampling request: ${error instanceof Error ? error.message : 'unreadable params'}`);
  }
}
