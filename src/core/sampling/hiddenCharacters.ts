/**
 * Warnings for hidden characters in everything a model will read. The table and the scanner are
 * the shared ones (src/shared/hiddenCharacters.ts), which the panel's webview uses to reveal them.
 */
import { describeHiddenCharacters } from '../../shared/hiddenCharacters';
import { contentBlocks } from './validate';
import type { SamplingParams } from './types';

export { describeHiddenCharacters, findHiddenCharacters } from '../../shared/hiddenCharacters';

const MAX_WARNINGS = 20;

function json(value: unknown): string | undefined {
  try {
    return value === undefined ? undefined : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

type Block = Readonly<Record<string, unknown>> & { readonly type?: unknown };

/** Warnings for every text a model will read: prompt, messages, tool calls and results (incl. structured content and resources), tools' names, descriptions and schemas. */
export function hiddenCharacterWarnings(params: SamplingParams): string[] {
  const warnings: string[] = [];
  const check = (field: string, text: string | undefined): void => {
    if (text === undefined || warnings.length >= MAX_WARNINGS) return;
    const warning = describeHiddenCharacters(field, text);
    if (warning) warnings.push(warning);
  };
  const checkBlock = (where: string, block: Block): void => {
    if (block.type === 'text') check(where, typeof block.text === 'string' ? block.text : undefined);
    else if (block.type === 'resource') check(`${where} resource`, json(block.resource));
    else if (block.type === 'resource_link') check(`${where} resource link`, json(block));
    // Media: the type is the one field of theirs a provider may turn into text (a data URI, a marker).
    else if (block.type === 'image' || block.type === 'audio') check(`${where} ${block.type} mimeType`, typeof block.mimeType === 'string' ? block.mimeType : undefined);
    else check(`${where} ${String(block.type)}`, json(block));
  };
  check('System prompt', params.systemPrompt);
  params.messages.forEach((message, m) => {
    contentBlocks(message).forEach((block, b) => {
      const where = `Message ${m + 1} (${message.role})${Array.isArray(message.content) ? `, block ${b + 1}` : ''}`;
      if (block.type === 'tool_use') {
        check(`${where} tool_use name`, block.name);
        check(`${where} tool_use input`, json(block.input));
      } else if (block.type === 'tool_result') {
        for (const inner of block.content) checkBlock(`${where} tool_result`, inner as unknown as Block);
        check(`${where} tool_result structuredContent`, json(block.structuredContent));
      } else checkBlock(where, block as unknown as Block);
    });
  });
  for (const tool of params.tools ?? []) {
    check(`Tool name "${tool.name}"`, tool.name);
    check(`Tool "${tool.name}" description`, tool.description);
    check(`Tool "${tool.name}" inputSchema`, json(tool.inputSchema));
  }
  return warnings;
}
