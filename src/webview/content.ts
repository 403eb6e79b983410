/** Read-only rendering of MCP content blocks: markdown text, raster images, audio, tool calls and results. */
import type { ContentView } from '../shared/protocol';
import { h, text } from './dom';
import { revealHiddenCharacters } from './hiddenCharacters';
import { renderMarkdown } from './markdown';
import { safeAudioSrc, safeImageSrc } from './media';

/** Longer texts are shown as plain preformatted text: markdown rendering of megabytes would stall the panel. */
const MARKDOWN_MAX = 200_000;

export function renderText(content: string): HTMLElement {
  if (content.length > MARKDOWN_MAX) return text('pre', revealHiddenCharacters(content), { class: 'plain-text' });
  const el = h('div', { class: 'markdown' });
  // Only markdown-it output with raw HTML disabled is ever assigned as HTML.
  el.innerHTML = renderMarkdown(content);
  return el;
}

export function renderBlock(block: ContentView): HTMLElement {
  switch (block.type) {
    case 'text':
      return renderText(block.text);
    case 'image': {
      const src = safeImageSrc(block.mimeType, block.data);
      if (!src) return text('p', `Image not shown: ${block.mimeType} is not an allowed raster image type (png, jpeg, gif, webp) or its data is malformed.`, { class: 'blocked' });
      return h('figure', { class: 'image' }, h('img', { src, alt: `Image from the server (${block.mimeType})` }), text('figcaption', block.mimeType));
    }
    case 'audio': {
      const src = safeAudioSrc(block.mimeType, block.data);
      if (!src) return text('p', `Audio not played: ${block.mimeType} is not an allowed audio type or its data is malformed.`, { class: 'blocked' });
      return h('figure', { class: 'audio' }, h('audio', { controls: true, src, 'aria-label': `Audio from the server (${block.mimeType})` }), text('figcaption', block.mimeType));
    }
    case 'tool_use':
      return h(
        'div',
        { class: 'block tool-use', role: 'group', 'aria-label': `Tool call ${block.name}` },
        h('div', { class: 'block-title' }, 'Tool call ', text('code', block.name), ' ', text('span', `id ${block.id}`, { class: 'muted' })),
        text('pre', block.input),
      );
    case 'tool_result':
      return h(
        'div',
        { class: `block tool-result${block.isError ? ' is-error' : ''}`, role: 'group', 'aria-label': `Tool result for ${block.toolUseId}` },
        h('div', { class: 'block-title' }, block.isError ? 'Tool error for ' : 'Tool result for ', text('code', block.toolUseId)),
        ...block.content.map(renderBlock),
        block.structured !== undefined && h('details', {}, text('summary', 'Structured content'), text('pre', block.structured)),
      );
    case 'resource':
      return h(
        'div',
        { class: 'block resource', role: 'group', 'aria-label': `Resource ${block.uri}` },
        h('div', { class: 'block-title' }, 'Resource ', text('code', block.uri), block.mimeType ? text('span', ` ${block.mimeType}`, { class: 'muted' }) : ''),
        block.text !== undefined && text('pre', revealHiddenCharacters(block.text)),
      );
    case 'other':
      return h('div', { class: 'block other' }, text('div', 'Other content', { class: 'block-title' }), text('pre', block.json));
  }
}
