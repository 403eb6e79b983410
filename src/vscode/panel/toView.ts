/**
 * Turns the pipeline's ApprovalRequest / ProviderResponse into the display-only views the webview gets.
 * Pure (no vscode import) so Node tests can check it. Everything is bounded by the shared limits and
 * checked with the shared readers' own predicates, so the webview never rejects a view the host built.
 * Whatever is cut for display is announced: inline where it was cut, and in the view's `notShown`
 * list, which the card shows with a button that opens the full request.
 */
import { formatWarning, hiddenCharacterWarning, type RequestWarning } from '../../core/approval/warnings';
import type { ApprovalRequest, ProviderResponse, SamplingMessage } from '../../core/sampling/types';
import { isMediaType, LIMITS, type ContentView, type LeafContentView, type MessageView, type RequestView, type ResponseView } from '../../shared/protocol';
import { formatOmission, Omissions, type BlockPlace, type Omission, type OmittedField, type OmittedList } from './omissions';

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function clipPlain(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** Cuts `text` to `max`, saying inline how much is not shown, and records it under `where`. */
export function clip(text: string, max: number, where?: OmittedField, omissions?: Omissions): string {
  if (text.length <= max) return text;
  const hidden = (n: number) => `\n[… ${plural(n, 'more character')} not shown: open the full request to see them]`;
  let keep = Math.max(0, max - hidden(text.length).length);
  // Never split a surrogate pair.
  if (keep > 0 && /[\uD800-\uDBFF]/.test(text.charAt(keep - 1))) keep--;
  const rest = text.length - keep;
  if (where) omissions?.add({ kind: 'characters', field: where, count: rest });
  return (text.slice(0, keep) + hidden(rest)).slice(0, max);
}

export function prettyJson(value: unknown, where?: OmittedField, omissions?: Omissions): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'undefined';
  } catch {
    text = '[unprintable]';
  }
  return clip(text, LIMITS.json, where, omissions);
}

type AnyBlock = Readonly<Record<string, unknown>> & { readonly type?: unknown };

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Takes the first `max` items; announces the rest as `list`'s. */
function firstOf<T>(items: readonly T[], max: number, list: OmittedList, omissions?: Omissions): readonly T[] {
  if (items.length <= max) return items;
  omissions?.add({ kind: 'items', list, count: items.length - max });
  return items.slice(0, max);
}

const inBlock = (place: BlockPlace, part: Extract<OmittedField, { kind: 'block' }>['part']): OmittedField => ({ kind: 'block', place, part });

/** A block as the card shows it; a tool result's own blocks are leaves (a nested tool result is shown as JSON). */
export function toContentView(block: AnyBlock, place: BlockPlace = {}, omissions?: Omissions): ContentView {
  if (block.type !== 'tool_result') return toLeafView(block, place, omissions);
  const content = Array.isArray(block.content) ? (block.content as AnyBlock[]) : [];
  return {
    type: 'tool_result',
    toolUseId: clip(asString(block.toolUseId), LIMITS.id),
    isError: block.isError === true,
    content: firstOf(content, LIMITS.blocks, { kind: 'tool-result-blocks', place }, omissions).map((b, i) => toLeafView(b, { ...place, inToolResult: i + 1 }, omissions)),
    ...(block.structuredContent !== undefined ? { structured: prettyJson(block.structuredContent, inBlock(place, 'structured-content'), omissions) } : {}),
  };
}

function toLeafView(block: AnyBlock, place: BlockPlace, omissions?: Omissions): LeafContentView {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: clip(asString(block.text), LIMITS.text, inBlock(place, 'content'), omissions) };
    case 'image':
    case 'audio': {
      const data = asString(block.data);
      const mimeType = asString(block.mimeType);
      // Media too large to show, or with a malformed type, is described instead of dropped.
      if (data.length > LIMITS.media || !isMediaType(mimeType)) {
        omissions?.add({ kind: 'media', place, media: block.type, characters: data.length });
        const typeShown = mimeType.length > 100 ? `${JSON.stringify(mimeType.slice(0, 100))}… and ${plural(mimeType.length - 100, 'more character')} of its type` : JSON.stringify(mimeType);
        return { type: 'other', json: `${block.type} (${typeShown}, ${data.length} base64 characters) not shown` };
      }
      return { type: block.type, mimeType, data };
    }
    case 'tool_use':
      return {
        type: 'tool_use',
        id: clip(asString(block.id), LIMITS.id),
        name: clip(asString(block.name), LIMITS.name, inBlock(place, 'tool-name'), omissions),
        input: prettyJson(block.input, inBlock(place, 'tool-input'), omissions),
      };
    case 'resource_link':
      return {
        type: 'resource',
        uri: clip(asString(block.uri), LIMITS.uri, inBlock(place, 'resource-uri'), omissions),
        ...(isMediaType(asString(block.mimeType)) ? { mimeType: asString(block.mimeType) } : {}),
      };
    case 'resource': {
      const res = (typeof block.resource === 'object' && block.resource !== null ? block.resource : {}) as AnyBlock;
      if (typeof res.blob === 'string') omissions?.add({ kind: 'media', place, media: 'resource-blob', characters: res.blob.length });
      return {
        type: 'resource',
        uri: clip(asString(res.uri), LIMITS.uri, inBlock(place, 'resource-uri'), omissions),
        ...(typeof res.mimeType === 'string' ? { mimeType: clip(res.mimeType, LIMITS.mimeType) } : {}),
        ...(typeof res.text === 'string' ? { text: clip(res.text, LIMITS.text, inBlock(place, 'resource-text'), omissions) } : {}),
      };
    }
  }
  return { type: 'other', json: prettyJson(block, inBlock(place, 'content'), omissions) };
}

export function blocksOf(content: SamplingMessage['content'] | ProviderResponse['content']): AnyBlock[] {
  return (Array.isArray(content) ? content : [content]) as AnyBlock[];
}

export function toMessageView(message: SamplingMessage, index = 0, omissions?: Omissions): MessageView {
  const messageNumber = index + 1;
  return {
    role: message.role,
    content: firstOf(blocksOf(message.content), LIMITS.blocks, { kind: 'message-blocks', message: messageNumber }, omissions).map((b, i) => toContentView(b, { inMessage: { message: messageNumber, block: i + 1 } }, omissions)),
  };
}

const tokens = (n: number | undefined): number | undefined => (typeof n === 'number' && Number.isFinite(n) ? Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(n))) : undefined);

export function toResponseView(response: ProviderResponse): ResponseView {
  const inputTokens = tokens(response.usage?.inputTokens);
  const outputTokens = tokens(response.usage?.outputTokens);
  return {
    model: clip(String(response.model), LIMITS.name),
    stopReason: clip(String(response.stopReason), LIMITS.name),
    content: blocksOf(response.content).slice(0, LIMITS.blocks).map((b) => toContentView(b)),
    ...(inputTokens !== undefined ? { inputTokens } : {}),
    ...(outputTokens !== undefined ? { outputTokens } : {}),
  };
}

/** The whole request as the model will receive it, for the read-only editor the card opens. */
export function fullRequestText(request: ApprovalRequest): string {
  let params: string;
  try {
    params = JSON.stringify(request.params, null, 2);
  } catch {
    params = '[unprintable]';
  }
  return [`// Sampling request from ${request.origin.serverName}: the complete params the model will receive when you approve without edits.`, `// Provider ${request.choice.providerId}, model ${request.choice.model}.`, params, ''].join('\n');
}

/** The live part of a request that the panel tracks: everything not in the ApprovalRequest itself. */
export interface LiveState {
  readonly state: RequestView['state'];
  readonly step: RequestView['step'];
  readonly responseText: string;
  readonly response?: ResponseView;
  readonly error?: string;
  readonly closed?: RequestView['closed'];
}

const finite = (n: unknown, min: number, max: number): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : undefined;

/** Hidden characters in the names of the parties (server, tool call) are warned about like content. */
function nameWarnings(request: ApprovalRequest): RequestWarning[] {
  const { toolCall, runningToolCall } = request.origin;
  return [
    hiddenCharacterWarning({ kind: 'server-name' }, request.origin.serverName),
    toolCall && hiddenCharacterWarning({ kind: 'tool-call-name' }, toolCall.name),
    runningToolCall && hiddenCharacterWarning({ kind: 'running-tool-call-name' }, runningToolCall.name),
  ].filter((w): w is RequestWarning => !!w);
}

/**
 * How the card words what it tells about a request: the host's localized `CARD_WORDS` (the panel's
 * warningText.ts and omissionText.ts); the diff's request text and Node tests take `ENGLISH_CARD_WORDS`.
 */
export interface CardWords {
  readonly warning: (warning: RequestWarning) => string;
  readonly omission: (omission: Omission) => string;
}

export const ENGLISH_CARD_WORDS: CardWords = { warning: formatWarning, omission: formatOmission };

function callerOf(origin: ApprovalRequest['origin']): string | undefined {
  return origin.toolCall?.caller ?? origin.runningToolCall?.caller ?? origin.caller;
}

export function toRequestView(request: ApprovalRequest, live: LiveState, words: CardWords): RequestView {
  const p = request.params;
  const prefs = p.modelPreferences;
  const omitted = new Omissions();
  const temperature = finite(p.temperature, 0, LIMITS.temperature);
  if (typeof p.temperature === 'number' && temperature !== undefined && temperature !== p.temperature) omitted.add({ kind: 'temperature', requested: p.temperature, shown: temperature });
  const stops = firstOf(p.stopSequences ?? [], LIMITS.stopSequences, { kind: 'stop-sequences' }, omitted);
  const view: RequestView = {
    requestId: clip(request.origin.requestId, LIMITS.id),
    serverName: clip(request.origin.serverName, LIMITS.name),
    serverSource: clip(request.origin.serverSource, LIMITS.name),
    route: request.origin.route,
    ...(request.origin.protocolVersion !== undefined ? { protocolVersion: clip(request.origin.protocolVersion, 32) } : {}),
    ...(request.origin.toolCall ? { toolCallName: clip(request.origin.toolCall.name, LIMITS.name) } : {}),
    // "during tool call X" only when proven; "while X was running" when it is the one call running.
    ...(request.origin.runningToolCall ? { runningToolName: clip(request.origin.runningToolCall.name, LIMITS.name) } : {}),
    ...(callerOf(request.origin) !== undefined ? { toolCaller: clip(callerOf(request.origin)!, LIMITS.name) } : {}),
    receivedAt: finite(request.receivedAt, 0, LIMITS.timestamp) ?? 0,
    ...(p.systemPrompt !== undefined ? { systemPrompt: clip(p.systemPrompt, LIMITS.text, { kind: 'system-prompt' }, omitted) } : {}),
    messages: firstOf(p.messages, LIMITS.messages, { kind: 'messages' }, omitted).map((m, i) => toMessageView(m, i, omitted)),
    maxTokens: Math.round(finite(p.maxTokens, 1, LIMITS.maxTokens) ?? 1),
    ...(temperature !== undefined ? { temperature } : {}),
    stopSequences: stops.map((s, i) => clip(String(s), LIMITS.name, { kind: 'stop-sequence', index: i + 1 }, omitted)),
    ...(p.includeContext !== undefined ? { includeContext: clip(String(p.includeContext), 32) } : {}),
    ...(prefs
      ? {
          modelPreferences: {
            hints: (prefs.hints ?? []).slice(0, LIMITS.hints).map((h) => clip(h.name ?? '', LIMITS.name)),
            ...(finite(prefs.costPriority, 0, 1) !== undefined ? { costPriority: finite(prefs.costPriority, 0, 1) } : {}),
            ...(finite(prefs.speedPriority, 0, 1) !== undefined ? { speedPriority: finite(prefs.speedPriority, 0, 1) } : {}),
            ...(finite(prefs.intelligencePriority, 0, 1) !== undefined ? { intelligencePriority: finite(prefs.intelligencePriority, 0, 1) } : {}),
          },
        }
      : {}),
    ...(p.metadata !== undefined ? { metadata: prettyJson(p.metadata, { kind: 'metadata' }, omitted) } : {}),
    tools: firstOf(p.tools ?? [], LIMITS.tools, { kind: 'tools' }, omitted).map((t, i) => ({
      name: clip(String(t.name), LIMITS.name, { kind: 'tool', tool: i + 1, part: 'name' }, omitted),
      ...(t.description !== undefined ? { description: clip(String(t.description), LIMITS.text, { kind: 'tool', tool: i + 1, part: 'description' }, omitted) } : {}),
      inputSchema: prettyJson(t.inputSchema, { kind: 'tool', tool: i + 1, part: 'input-schema' }, omitted),
    })),
    ...(p.toolChoice?.mode !== undefined ? { toolChoice: clip(String(p.toolChoice.mode), 32) } : {}),
    choice: {
      providerId: clip(request.choice.providerId, LIMITS.id),
      model: clip(request.choice.model, LIMITS.name),
      reason: clip(request.choice.reason, LIMITS.reason),
    },
    // Only ids, labels and model metadata: a provider's endpoint, headers and key never reach the webview.
    providers: request.providers
      .filter((pr) => pr.id.length > 0)
      .slice(0, LIMITS.providers)
      .map((pr) => ({
        id: clip(pr.id, LIMITS.id),
        label: clip(String(pr.label), LIMITS.name),
        models: pr.models
          .filter((m) => typeof m.id === 'string' && m.id.length > 0)
          .slice(0, LIMITS.models)
          .map((m) => ({
            id: clip(m.id, LIMITS.name),
            ...(typeof m.name === 'string' ? { name: clip(m.name, LIMITS.name) } : {}),
            ...(tokens(m.maxInputTokens) !== undefined ? { maxInputTokens: tokens(m.maxInputTokens) } : {}),
          })),
      })),
    tokenEstimate: tokens(request.tokenEstimate) ?? 0,
    ...(tokens(request.maxInputTokens) !== undefined ? { maxInputTokens: tokens(request.maxInputTokens) } : {}),
    warnings: [...nameWarnings(request), ...request.warnings].slice(0, LIMITS.warnings).map((w) => clip(words.warning(w), LIMITS.reason)),
    state: live.state,
    step: live.step,
    responseText: clip(live.responseText, LIMITS.text),
    ...(live.response ? { response: live.response } : {}),
    ...(live.error !== undefined ? { error: clip(live.error, LIMITS.reason) } : {}),
    ...(live.closed ? { closed: { outcome: live.closed.outcome, reason: clip(live.closed.reason, LIMITS.reason) } } : {}),
  };
  const notShown = omitted.result().map((omission) => clipPlain(words.omission(omission), LIMITS.reason));
  return notShown.length > 0 ? { ...view, notShown } : view;
}
