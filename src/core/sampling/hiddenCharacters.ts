/**
 * Warnings for hidden characters in everything a model will read. The table and the scanner are
 * the shared ones (src/shared/hiddenCharacters.ts), which the panel's webview uses to reveal them.
 */
import { hiddenCharacterWarning, type MessagePart, type RequestWarning, type WarningField } from '../approval/warnings';
import { contentBlocks } from './validate';
import type { SamplingParams } from './types';

export { findHiddenCharacters } from '../../shared/hiddenCharacters';

const MAX_WARNINGS = 20;

function json(value: unknown): string | undefined {
  try {
    return value === undefined ? undefined : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

type Block = Readonly<Record<string, unknown>> & { readonly type?: unknown };
type MessageWhere = Omit<Extract<WarningField, { kind: 'message' }>, 'part'>;

/** Warnings for every text a model will read: prompt, messages, tool calls and results (incl. structured content and resources), tools' names, descriptions and schemas. */
export function hiddenCharacterWarnings(params: SamplingParams): RequestWarning[] {
  const warnings: RequestWarning[] = [];
  const check = (field: WarningField, text: string | undefined): void => {
    if (text === undefined || warnings.length >= MAX_WARNINGS) return;
    const warning = hiddenCharacterWarning(field, text);
    if (warning) warnings.push(warning);
  };
  const inMessage = (where: MessageWhere, part: MessagePart, text: string | undefined): void => check({ ...where, part }, text);
  const checkBlock = (where: MessageWhere, block: Block): void => {
    if (block.type === 'text') inMessage(where, { kind: 'text' }, typeof block.text === 'string' ? block.text : undefined);
    else if (block.type === 'resource') inMessage(where, { kind: 'resource' }, json(block.resource));
    else if (block.type === 'resource_link') inMessage(where, { kind: 'resource-link' }, json(block));
    // Media: the type is the one field of theirs a provider may turn into text (a data URI, a marker).
    else if (block.type === 'image' || block.type === 'audio') inMessage(where, { kind: 'media-type', media: block.type }, typeof block.mimeType === 'string' ? block.mimeType : undefined);
    else inMessage(where, { kind: 'block', type: String(block.type) }, json(block));
  };
  check({ kind: 'system-prompt' }, params.systemPrompt);
  params.messages.forEach((message, m) => {
    contentBlocks(message).forEach((block, b) => {
      const where: MessageWhere = { kind: 'message', message: m + 1, role: message.role, ...(Array.isArray(message.content) ? { block: b + 1 } : {}) };
      if (block.type === 'tool_use') {
        inMessage(where, { kind: 'tool-use-name' }, block.name);
        inMessage(where, { kind: 'tool-use-input' }, json(block.input));
      } else if (block.type === 'tool_result') {
        const inResult: MessageWhere = { ...where, inToolResult: true };
        for (const inner of block.content) checkBlock(inResult, inner as unknown as Block);
        inMessage(inResult, { kind: 'structured-content' }, json(block.structuredContent));
      } else checkBlock(where, block as unknown as Block);
    });
  });
  for (const tool of params.tools ?? []) {
    check({ kind: 'tool', tool: tool.name, part: 'name' }, tool.name);
    check({ kind: 'tool', tool: tool.name, part: 'description' }, tool.description);
    check({ kind: 'tool', tool: tool.name, part: 'inputSchema' }, json(tool.inputSchema));
  }
  return warnings;
}
