/** Shapes a provider's answer into the result the server's request allows (2025-11-25 rules). */
import type { ProviderResponse, ResponseContent, SamplingParams, SamplingResult, SamplingResultWithTools } from './types';

type Block = Exclude<ResponseContent, readonly unknown[]>;

function blocksOf(content: ResponseContent): Block[] {
  return Array.isArray(content) ? content : [content as Block];
}

/** Whether the request offered tools: then the result may be an array with tool_use blocks. */
export function requestAllowsTools(params: SamplingParams): boolean {
  return params.tools !== undefined || params.toolChoice !== undefined;
}

/** Joins everything into one text block, for servers that did not offer tools. */
function asSingleBlock(content: ResponseContent): SamplingResult['content'] {
  const blocks = blocksOf(content);
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only && (only.type === 'text' || only.type === 'image' || only.type === 'audio')) return only;
  const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
  return { type: 'text', text };
}

export function toSamplingResult(response: ProviderResponse, content: ResponseContent, original: SamplingParams): SamplingResult | SamplingResultWithTools {
  if (!requestAllowsTools(original)) {
    const single = asSingleBlock(content);
    const stopReason = response.stopReason === 'toolUse' ? 'endTurn' : response.stopReason;
    return { model: response.model, role: 'assistant', content: single, stopReason };
  }
  const hasToolUse = blocksOf(content).some((b) => b.type === 'tool_use');
  const stopReason = hasToolUse ? 'toolUse' : response.stopReason === 'toolUse' ? 'endTurn' : response.stopReason;
  return { model: response.model, role: 'assistant', content, stopReason } as SamplingResultWithTools;
}
