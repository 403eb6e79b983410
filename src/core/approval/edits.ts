/**
 * Applies the user's edits from the panel to the original request, checking them against it:
 * only single-text messages can be replaced, the provider must be one the request offered.
 * Pure (no vscode import) so Node tests can check it.
 */
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RequestEdits } from '../../shared/protocol';
import type { ProviderChoice, ResponseContent } from '../providers/types';
import type { ApprovalRequest } from './types';

type SamplingParams = CreateMessageRequest['params'];

export class EditError extends Error {}

function singleText(message: SamplingParams['messages'][number]): boolean {
  const blocks = Array.isArray(message.content) ? message.content : [message.content];
  return blocks.length === 1 && blocks[0]?.type === 'text';
}

export function applyEdits(request: ApprovalRequest, edits: RequestEdits | undefined): { params: SamplingParams; choice: ProviderChoice } {
  const original = request.params;
  if (!edits) return { params: original, choice: request.choice };
  let params: SamplingParams = { ...original };

  if (edits.systemPrompt !== undefined) params.systemPrompt = edits.systemPrompt;
  if (edits.messages && edits.messages.length > 0) {
    const messages = [...original.messages];
    for (const { index, text } of edits.messages) {
      const message = messages[index];
      if (!message) throw new EditError(`message ${index} does not exist`);
      if (!singleText(message)) throw new EditError(`message ${index} is not a single text block and cannot be edited`);
      const block = (Array.isArray(message.content) ? message.content[0] : message.content) as { type: 'text'; text: string };
      const edited = { ...block, text };
      messages[index] = { ...message, content: Array.isArray(message.content) ? [edited] : edited };
    }
    params.messages = messages;
  }
  if (edits.maxTokens !== undefined) params.maxTokens = edits.maxTokens;
  if (edits.temperature === null) {
    const { temperature: _dropped, ...rest } = params;
    params = rest;
  } else if (edits.temperature !== undefined) {
    params.temperature = edits.temperature;
  }

  let choice = request.choice;
  if (edits.providerId !== undefined || edits.model !== undefined) {
    const providerId = edits.providerId ?? choice.providerId;
    const provider = request.providers.find((p) => p.id === providerId);
    if (!provider) throw new EditError(`provider "${providerId}" is not available`);
    let model = edits.model ?? choice.model;
    // A provider switch without a model picks the new provider's first model when the old one is not offered.
    if (edits.model === undefined && provider.models.length > 0 && !provider.models.some((m) => m.id === model)) {
      model = provider.models[0]!.id;
    }
    if (providerId !== choice.providerId || model !== choice.model) {
      choice = { providerId, model, reason: 'chosen by the user in the approval panel' };
    }
  }
  return { params, choice };
}

/** The accepted answer with the user's edited text in place of the original text blocks. */
export function replaceText(content: ResponseContent, text: string): ResponseContent {
  if (!Array.isArray(content)) return content.type === 'text' ? { ...content, text } : { type: 'text', text };
  const others = content.filter((b) => b.type !== 'text');
  return [{ type: 'text', text }, ...others] as ResponseContent;
}
