/**
 * A request as plain text, original or with the user's edits applied: the one rendering behind
 * "Show changes", both the panel's inline line diff and the editor's diff view.
 */
import { ENGLISH_WORDS, type PanelWords } from './panelStrings';
import type { RequestEdits } from './protocol';
import type { ContentView, RequestView } from './requestView';

function blockLines(block: ContentView): string[] {
  switch (block.type) {
    case 'text':
      return [block.text];
    case 'image':
    case 'audio':
      return [`[${block.type} ${block.mimeType}, ${block.data.length} base64 characters]`];
    case 'tool_use':
      return [`[tool_use ${block.name} ${block.id}] ${block.input}`];
    case 'tool_result':
      return [`[tool_result for ${block.toolUseId}${block.isError ? ', error' : ''}]`, ...block.content.flatMap(blockLines), ...(block.structured !== undefined ? [block.structured] : [])];
    case 'resource':
      return [`[resource ${block.uri}${block.mimeType ? ` ${block.mimeType}` : ''}]`, ...(block.text !== undefined ? [block.text] : [])];
    case 'other':
      return [`[other] ${block.json}`];
  }
}

/**
 * `edits` as the protocol carries them; a provider or model not in them keeps the request's choice.
 * Headings in `words` (the panel's language); the parameters keep their protocol names.
 */
export function requestAsText(view: RequestView, edits: RequestEdits = {}, words: PanelWords = ENGLISH_WORDS): string {
  const temperature = edits.temperature === null ? undefined : (edits.temperature ?? view.temperature);
  const replaced = new Map((edits.messages ?? []).map((m) => [m.index, m.text]));
  const lines = [
    `provider: ${edits.providerId ?? view.choice.providerId}`,
    `model: ${edits.model ?? view.choice.model}`,
    `maxTokens: ${edits.maxTokens ?? view.maxTokens}`,
    `temperature: ${temperature ?? `(${words('modelDefault')})`}`,
  ];
  if (view.stopSequences.length) lines.push(`stopSequences: ${JSON.stringify(view.stopSequences)}`);
  lines.push('', `=== ${words('systemPrompt')} ===`, (edits.systemPrompt ?? view.systemPrompt) || words('none'));
  view.messages.forEach((m, i) => {
    // Numbered from 1, as the card names them.
    lines.push('', `=== ${words('messageName', i + 1, m.role)} ===`);
    const text = replaced.get(i);
    if (text !== undefined) lines.push(text);
    else for (const block of m.content) lines.push(...blockLines(block));
  });
  if (view.notShown?.length) lines.push('', `=== ${words('notShownHeading')} ===`, ...view.notShown);
  return lines.join('\n') + '\n';
}
