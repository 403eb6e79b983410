/**
 * Turns the pipeline's ApprovalRequest / ProviderResponse into the display-only views the webview gets.
 * Pure (no vscode import) so Node tests can check it. Everything is clipped to the protocol's limits so
 * the webview's validator never drops a view because a server sent something huge.
 */
import type { ApprovalRequest, ProviderResponse, SamplingMessage } from '../../core/sampling/types';
import { LIMITS, type ContentView, type MessageView, type RequestView, type ResponseView } from '../../shared/protocol';

const CLIP_MARK = '\n[… clipped for display]';

export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - CLIP_MARK.length)) + CLIP_MARK;
}

export function prettyJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? 'undefined';
  } catch {
    text = '[unprintable]';
  }
  return clip(text, LIMITS.json);
}

type AnyBlock = Readonly<Record<string, unknown>> & { readonly type?: unknown };

const asString = (v: unknown): string => (typeof v === 'string' ? v : '');

export function toContentView(block: AnyBlock, depth = 0): ContentView {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: clip(asString(block.text), LIMITS.text) };
    case 'image':
    case 'audio': {
      const data = asString(block.data);
      const mimeType = asString(block.mimeType);
      // Media too large to show, or with a malformed type, is described instead of dropped.
      if (data.length > LIMITS.media || !/^[a-z]+\/[a-z0-9.+-]+$/i.test(mimeType)) {
        return { type: 'other', json: clip(`${block.type} (${mimeType.slice(0, 100)}, ${data.length} base64 characters) not shown`, LIMITS.json) };
      }
      return { type: block.type, mimeType, data };
    }
    case 'tool_use':
      return { type: 'tool_use', id: clip(asString(block.id), LIMITS.id), name: clip(asString(block.name), LIMITS.name), input: prettyJson(block.input) };
    case 'tool_result':
      if (depth === 0) {
        const content = Array.isArray(block.content) ? (block.content as AnyBlock[]) : [];
        return {
          type: 'tool_result',
          toolUseId: clip(asString(block.toolUseId), LIMITS.id),
          isError: block.isError === true,
          content: content.slice(0, LIMITS.blocks).map((b) => toContentView(b, depth + 1)),
          ...(block.structuredContent !== undefined ? { structured: prettyJson(block.structuredContent) } : {}),
        };
      }
      break;
    case 'resource_link':
      return { type: 'resource', uri: clip(asString(block.uri), LIMITS.name * 8), ...(typeof block.mimeType === 'string' ? { mimeType: clip(block.mimeType, 100) } : {}) };
    case 'resource': {
      const res = (typeof block.resource === 'object' && block.resource !== null ? block.resource : {}) as AnyBlock;
      return {
        type: 'resource',
        uri: clip(asString(res.uri), LIMITS.name * 8),
        ...(typeof res.mimeType === 'string' ? { mimeType: clip(res.mimeType, 100) } : {}),
        ...(typeof res.text === 'string' ? { text: clip(res.text, LIMITS.text) } : {}),
      };
    }
  }
  return { type: 'other', json: prettyJson(block) };
}

export function blocksOf(content: SamplingMessage['content'] | ProviderResponse['content']): AnyBlock[] {
  return (Array.isArray(content) ? content : [content]) as AnyBlock[];
}

export function toMessageView(message: SamplingMessage): MessageView {
  return { role: message.role, content: blocksOf(message.content).slice(0, LIMITS.blocks).map((b) => toContentView(b)) };
}

export function toResponseView(response: ProviderResponse): ResponseView {
  return {
    model: clip(response.model, LIMITS.name),
    stopReason: clip(String(response.stopReason), LIMITS.name),
    content: blocksOf(response.content).slice(0, LIMITS.blocks).map((b) => toContentView(b)),
    ...(response.usage?.inputTokens !== undefined ? { inputTokens: Math.max(0, Math.floor(response.usage.inputTokens)) } : {}),
    ...(response.usage?.outputTokens !== undefined ? { outputTokens: Math.max(0, Math.floor(response.usage.outputTokens)) } : {}),
  };
}

/** The concatenated text blocks of a response: what the panel shows and lets the user edit. */
export function responseText(response: ProviderResponse): string {
  return clip(
    blocksOf(response.content)
      .filter((b) => b.type === 'text')
      .map((b) => asString(b.text))
      .join(''),
    LIMITS.text,
  );
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

export function toRequestView(request: ApprovalRequest, live: LiveState): RequestView {
  const p = request.params;
  const prefs = p.modelPreferences;
  const view: RequestView = {
    requestId: clip(request.id, LIMITS.id),
    serverName: clip(request.serverName, LIMITS.name),
    serverSource: clip(request.serverSource, LIMITS.name),
    route: request.route,
    ...(request.toolCall ? { toolCallName: clip(request.toolCall.name, LIMITS.name) } : {}),
    receivedAt: finite(request.receivedAt, 0, LIMITS.timestamp) ?? 0,
    ...(p.systemPrompt !== undefined ? { systemPrompt: clip(p.systemPrompt, LIMITS.text) } : {}),
    messages: p.messages.slice(0, LIMITS.messages).map(toMessageView),
    maxTokens: Math.round(finite(p.maxTokens, 1, LIMITS.maxTokens) ?? 1),
    ...(finite(p.temperature, 0, LIMITS.temperature) !== undefined ? { temperature: finite(p.temperature, 0, LIMITS.temperature) } : {}),
    stopSequences: (p.stopSequences ?? []).slice(0, LIMITS.stopSequences).map((s) => clip(s, LIMITS.name)),
    ...(p.includeContext !== undefined ? { includeContext: p.includeContext } : {}),
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
    ...(p.metadata !== undefined ? { metadata: prettyJson(p.metadata) } : {}),
    tools: (p.tools ?? []).slice(0, LIMITS.tools).map((t) => ({
      name: clip(t.name, LIMITS.name),
      ...(t.description !== undefined ? { description: clip(t.description, LIMITS.text) } : {}),
      inputSchema: prettyJson(t.inputSchema),
    })),
    ...(p.toolChoice?.mode !== undefined ? { toolChoice: p.toolChoice.mode } : {}),
    choice: {
      providerId: clip(request.choice.providerId, LIMITS.id),
      model: clip(request.choice.model, LIMITS.name),
      reason: clip(request.choice.reason, LIMITS.reason),
    },
    // Only ids, labels and model metadata: a provider's endpoint, headers and key never reach the webview.
    providers: request.providers.slice(0, LIMITS.providers).map((pr) => ({
      id: clip(pr.id, LIMITS.id),
      label: clip(pr.label, LIMITS.name),
      models: pr.models.slice(0, LIMITS.models).map((m) => ({
        id: clip(m.id, LIMITS.name),
        ...(m.name !== undefined ? { name: clip(m.name, LIMITS.name) } : {}),
        ...(m.maxInputTokens !== undefined && Number.isFinite(m.maxInputTokens) ? { maxInputTokens: Math.max(0, Math.floor(m.maxInputTokens)) } : {}),
      })),
    })),
    tokenEstimate: Math.max(0, Math.floor(finite(request.tokenEstimate, 0, Number.MAX_SAFE_INTEGER) ?? 0)),
    ...(request.maxInputTokens !== undefined && Number.isFinite(request.maxInputTokens) ? { maxInputTokens: Math.max(0, Math.floor(request.maxInputTokens)) } : {}),
    warnings: request.warnings.slice(0, LIMITS.warnings).map((w) => clip(w, LIMITS.reason)),
    state: live.state,
    step: live.step,
    responseText: clip(live.responseText, LIMITS.text),
    ...(live.response ? { response: live.response } : {}),
    ...(live.error !== undefined ? { error: clip(live.error, LIMITS.reason) } : {}),
    ...(live.closed ? { closed: { outcome: live.closed.outcome, reason: clip(live.closed.reason, LIMITS.reason) } } : {}),
  };
  return view;
}
