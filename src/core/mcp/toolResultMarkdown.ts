/** A tool call's result as a readable Markdown document (for the Call Tool command). */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const MAX_TEXT = 200_000;

/** A fence longer than any backtick run inside, so content cannot close it. */
function fence(body: string, language = ''): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}${language}\n${body}\n${marks}`;
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n… (${text.length - MAX_TEXT} more characters)` : text;
}

function prettyIfJson(text: string): { body: string; language: string } {
  const trimmed = text.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('[') && trimmed.endsWith(']'))) {
    try {
      return { body: JSON.stringify(JSON.parse(trimmed), null, 2), language: 'json' };
    } catch {}
  }
  return { body: text, language: 'text' };
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

export function toolResultToMarkdown(serverName: string, toolName: string, args: unknown, result: CallToolResult): string {
  const parts: string[] = [`# ${escapeInline(toolName)} on ${escapeInline(serverName)}`];
  if (result.isError) parts.push('**The tool reported an error.**');
  parts.push('## Arguments', fence(JSON.stringify(args ?? {}, null, 2), 'json'), '## Result');
  const content = Array.isArray(result.content) ? result.content : [];
  if (content.length === 0) parts.push('_No content._');
  for (const item of content) {
    switch (item.type) {
      case 'text': {
        const { body, language } = prettyIfJson(clip(item.text));
        parts.push(fence(body, language));
        break;
      }
      case 'image':
      case 'audio':
        parts.push(`_${item.type} (${escapeInline(item.mimeType)}, about ${base64Bytes(item.data)} bytes)_`);
        break;
      case 'resource_link':
        parts.push(`Resource link: \`${item.uri.replace(/`/g, '')}\`${item.name ? ` (${escapeInline(item.name)})` : ''}`);
        break;
      case 'resource': {
        const resource = item.resource;
        parts.push(`Resource \`${resource.uri.replace(/`/g, '')}\`${resource.mimeType ? ` (${escapeInline(resource.mimeType)})` : ''}`);
        if ('text' in resource && typeof resource.text === 'string') parts.push(fence(clip(resource.text), 'text'));
        else if ('blob' in resource && typeof resource.blob === 'string') parts.push(`_binary, about ${base64Bytes(resource.blob)} bytes_`);
        break;
      }
      default:
        parts.push(fence(clip(JSON.stringify(item, null, 2)), 'json'));
    }
  }
  if (result.structuredContent !== undefined) parts.push('## Structured content', fence(clip(JSON.stringify(result.structuredContent, null, 2)), 'json'));
  return parts.join('\n\n') + '\n';
}
