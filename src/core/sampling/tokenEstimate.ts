/**
 * A rough prompt size in tokens, for display and for the model's input limit: text counts as
 * characters / 4 (a common rule of thumb for English with OpenAI/Claude-style tokenizers, often
 * off by 30% or more), each image or audio block as a flat 1,000 tokens. Never used for billing.
 */
import { contentBlocks } from './validate';
import type { SamplingParams } from './types';

const CHARS_PER_TOKEN = 4;
const MEDIA_TOKENS = 1000;

export function estimatePromptTokens(params: Pick<SamplingParams, 'systemPrompt' | 'messages' | 'tools'>): number {
  let chars = params.systemPrompt?.length ?? 0;
  let media = 0;
  for (const message of params.messages) {
    for (const block of contentBlocks(message)) {
      if (block.type === 'text') chars += block.text.length;
      else if (block.type === 'image' || block.type === 'audio') media++;
      else if (block.type === 'tool_use') chars += block.name.length + JSON.stringify(block.input).length;
      else if (block.type === 'tool_result') {
        for (const inner of block.content) {
          if (inner.type === 'text') chars += inner.text.length;
          else if (inner.type === 'image' || inner.type === 'audio') media++;
        }
      }
    }
  }
  for (const tool of params.tools ?? []) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.inputSchema).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + media * MEDIA_TOKENS;
}
