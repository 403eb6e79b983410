/**
 * The `vscode-lm` provider: answers sampling requests with the editor's own language models
 * (vscode.lm, e.g. Copilot), mapped to and from MCP content.
 */
import * as vscode from 'vscode';
import type { SamplingMessageContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { DeltaListener, ModelInfo, ModelProvider, ProviderRequest, ProviderResponse } from '../core/sampling/types';
import type { Logger } from '../core/logger';

export const VSCODE_LM_PROVIDER_ID = 'vscode-lm';

type Block = SamplingMessageContentBlock;

function blocksOf(content: Block | readonly Block[]): readonly Block[] {
  return Array.isArray(content) ? content : [content as Block];
}

function toParts(blocks: readonly Block[]): (vscode.LanguageModelTextPart | vscode.LanguageModelDataPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart)[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'text':
        return new vscode.LanguageModelTextPart(block.text);
      case 'image':
        return vscode.LanguageModelDataPart.image(Buffer.from(block.data, 'base64'), block.mimeType);
      case 'audio':
        // vscode.lm takes no audio: say so in the prompt rather than drop it silently, in fixed words
        // (the media type is the server's metadata, never prompt text).
        return new vscode.LanguageModelTextPart(`[audio omitted: the editor's language models do not accept audio]`);
      case 'tool_use':
        return new vscode.LanguageModelToolCallPart(block.id, block.name, block.input);
      case 'tool_result':
        return new vscode.LanguageModelToolResultPart(
          block.toolUseId,
          block.content.map((c) => new vscode.LanguageModelTextPart(c.type === 'text' ? c.text : `[${c.type} content]`)),
        );
      default:
        return new vscode.LanguageModelTextPart(`[unsupported content]`);
    }
  });
}

/** The API has no system role: the system prompt is folded into the first user message. */
export function toChatMessages(request: Pick<ProviderRequest, 'systemPrompt' | 'messages'>): vscode.LanguageModelChatMessage[] {
  const messages = request.messages.map((m) => {
    const parts = toParts(blocksOf(m.content as Block | Block[]));
    return m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(parts as vscode.LanguageModelTextPart[]) : vscode.LanguageModelChatMessage.User(parts as vscode.LanguageModelTextPart[]);
  });
  if (request.systemPrompt) {
    const prefix = new vscode.LanguageModelTextPart(`System instructions:\n${request.systemPrompt}\n\n`);
    const firstUser = messages.findIndex((m) => m.role === vscode.LanguageModelChatMessageRole.User);
    if (firstUser >= 0) messages[firstUser]!.content = [prefix, ...messages[firstUser]!.content];
    else messages.unshift(vscode.LanguageModelChatMessage.User([prefix]));
  }
  return messages;
}

function describeLmError(err: unknown, model: string): Error {
  if (err instanceof vscode.LanguageModelError) {
    if (err.code === vscode.LanguageModelError.NoPermissions.name) return new Error(vscode.l10n.t('Access to the language model "{0}" was not granted. Allow MCP Sampling Client to use it when VS Code asks, or choose another provider.', model));
    if (err.code === vscode.LanguageModelError.Blocked.name) return new Error(vscode.l10n.t('The language model "{0}" refused the request (blocked or over its quota): {1}', model, err.message));
    if (err.code === vscode.LanguageModelError.NotFound.name) return new Error(vscode.l10n.t('The language model "{0}" is no longer available.', model));
    return new Error(vscode.l10n.t('The language model "{0}" failed: {1}', model, err.message));
  }
  return err instanceof Error ? err : new Error(String(err));
}

interface KnownModels {
  readonly chats: Promise<readonly vscode.LanguageModelChat[]>;
  infos?: readonly ModelInfo[];
}

export class VsCodeLmProvider implements ModelProvider, vscode.Disposable {
  readonly id = VSCODE_LM_PROVIDER_ID;
  readonly label = vscode.l10n.t("Editor's language models");
  /**
   * The editor's models, asked for once and again only when they change: selectChatModels is a
   * round trip to the workbench, and the catalog and the request each asked for it every time.
   */
  private models: KnownModels | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly logger: Logger,
    private readonly justification: (request: ProviderRequest) => string = () => vscode.l10n.t('An MCP server asked for a completion.'),
  ) {
    this.subscription = vscode.lm.onDidChangeChatModels(() => (this.models = undefined));
  }

  private chatModels(): Promise<readonly vscode.LanguageModelChat[]> {
    if (this.models) return this.models.chats;
    const entry: KnownModels = {
      chats: Promise.resolve(vscode.lm.selectChatModels({})).then(
        (chats) => {
          entry.infos = chats.map((m) => ({ id: m.id, family: m.family, name: m.name, maxInputTokens: m.maxInputTokens }));
          return chats;
        },
        (error: unknown) => {
          if (this.models === entry) this.models = undefined;
          throw error;
        },
      ),
    };
    this.models = entry;
    return entry.chats;
  }

  cachedModels(): readonly ModelInfo[] | undefined {
    return this.models?.infos;
  }

  async listModels(): Promise<readonly ModelInfo[]> {
    const chats = await this.chatModels();
    return chats.map((m) => ({ id: m.id, family: m.family, name: m.name, maxInputTokens: m.maxInputTokens }));
  }

  dispose(): void {
    this.subscription.dispose();
    this.models = undefined;
  }

  async complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse> {
    const models = await this.chatModels();
    const model = models.find((m) => m.id === request.model) ?? models.find((m) => m.family === request.model);
    if (!model) throw new Error(vscode.l10n.t('The editor has no language model "{0}". Available: {1}.', request.model, models.map((m) => m.id).join(', ') || vscode.l10n.t('none')));

    const messages = toChatMessages(request);
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const inputTokens = await this.countTokens(model, messages, cancel.token);
      if (inputTokens > model.maxInputTokens) {
        throw new Error(vscode.l10n.t('The request needs about {0} input tokens; "{1}" accepts at most {2}.', inputTokens, model.name, model.maxInputTokens));
      }
      const useTools = request.tools && request.tools.length > 0 && request.toolChoice?.mode !== 'none';
      const options: vscode.LanguageModelChatRequestOptions = {
        justification: this.justification(request),
        modelOptions: {
          max_tokens: request.maxTokens,
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.stopSequences?.length ? { stop: [...request.stopSequences] } : {}),
        },
        ...(useTools
          ? {
              tools: request.tools!.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema })),
              toolMode: request.toolChoice?.mode === 'required' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto,
            }
          : {}),
      };
      const response = await model.sendRequest(messages, options, cancel.token);
      let text = '';
      const toolCalls: vscode.LanguageModelToolCallPart[] = [];
      let stoppedAt: string | undefined;
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          onDelta(part.value);
          // vscode.lm may ignore `stop`: enforce stop sequences here so stopReason is right.
          stoppedAt = request.stopSequences?.find((s) => s && text.includes(s));
          if (stoppedAt) {
            text = text.slice(0, text.indexOf(stoppedAt));
            cancel.cancel();
            break;
          }
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push(part);
        }
      }
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled');
      if (toolCalls.length > 0) {
        return {
          model: model.id,
          stopReason: 'toolUse',
          content: [
            ...(text ? [{ type: 'text' as const, text }] : []),
            ...toolCalls.map((c) => ({ type: 'tool_use' as const, id: c.callId, name: c.name, input: c.input as Record<string, unknown> })),
          ],
          usage: { inputTokens },
        };
      }
      return { model: model.id, stopReason: stoppedAt ? 'stopSequence' : 'endTurn', content: { type: 'text', text }, usage: { inputTokens } };
    } catch (err) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Cancelled');
      const error = describeLmError(err, model.name);
      this.logger.warn(`vscode.lm request failed: ${error.message}`);
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  private async countTokens(model: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], token: vscode.CancellationToken): Promise<number> {
    // In parallel: each count is a round trip to the model's provider.
    const counts = await Promise.all(messages.map((message) => model.countTokens(message, token)));
    return counts.reduce((a, b) => a + b, 0);
  }
}
