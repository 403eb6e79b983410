/** Read-only rendering of MCP content blocks: markdown text, raster images, audio, tool calls and results. */
import { t, tParts } from './strings';
import type { ContentView } from '../shared/protocol';
import { button } from './controls';
import { h, text } from './dom';
import { revealHiddenCharacters } from './hiddenCharacters';
import { renderMarkdown } from './markdown';
import { safeAudioSrc, safeImageSrc } from './media';

/** Longer texts are shown as plain preformatted text: markdown rendering of megabytes would stall the panel. */
const MARKDOWN_MAX = 200_000;

/** Plain text is drawn this many characters at a time, the next piece when the reader reaches it. */
export const TEXT_CHUNK = 64_000;

/**
 * Long read-only text as plain text drawn in pieces: the first at once, the next when its "Show more"
 * button scrolls into view or is pressed. The button says how much is not drawn yet, so the panel
 * never shows less than the model receives without saying so.
 */
function chunkedText(content: string): HTMLElement {
  const pre = h('pre', { class: 'plain-text' });
  const more = button('show-more-text', t('showMoreText', content.length.toLocaleString()), undefined, { secondary: true });
  const wrap = h('div', { class: 'chunked-text', 'data-role': 'chunked-text' }, pre, more);
  let drawn = 0;
  const observer = typeof IntersectionObserver === 'function' ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && drawNext()) : undefined;
  function drawNext(): void {
    let end = Math.min(content.length, drawn + TEXT_CHUNK);
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end--; // never split a surrogate pair
    pre.append(revealHiddenCharacters(content.slice(drawn, end)));
    drawn = end;
    const left = content.length - drawn;
    if (left === 0) {
      observer?.disconnect();
      more.remove();
      return;
    }
    more.textContent = t('showMoreText', left.toLocaleString());
    more.setAttribute('aria-label', more.textContent);
    more.setAttribute('title', more.textContent);
  }
  more.addEventListener('click', drawNext);
  drawNext();
  observer?.observe(more);
  return wrap;
}

export function renderText(content: string): HTMLElement {
  if (content.length > MARKDOWN_MAX) return chunkedText(content);
  const el = h('div', { class: 'markdown' });
  // Only markdown-it output with raw HTML disabled is ever assigned as HTML.
  el.innerHTML = renderMarkdown(content);
  for (const pre of el.querySelectorAll('pre')) pre.setAttribute('tabindex', '0');
  return el;
}

export function renderBlock(block: ContentView): HTMLElement {
  switch (block.type) {
    case 'text':
      return renderText(block.text);
    case 'image': {
      const src = safeImageSrc(block.mimeType, block.data);
      if (!src) return text('p', t('imageNotShown', block.mimeType), { class: 'blocked' });
      return h('figure', { class: 'image' }, h('img', { src, alt: t('imageAlt', block.mimeType) }), text('figcaption', block.mimeType));
    }
    case 'audio': {
      const src = safeAudioSrc(block.mimeType, block.data);
      if (!src) return text('p', t('audioNotPlayed', block.mimeType), { class: 'blocked' });
      return h('figure', { class: 'audio' }, h('audio', { controls: true, src, 'aria-label': t('audioLabel', block.mimeType) }), text('figcaption', block.mimeType));
    }
    case 'tool_use':
      return h(
        'div',
        { class: 'block tool-use', role: 'group', 'aria-label': t('toolCall', block.name) },
        h('div', { class: 'block-title' }, ...tParts('toolCall', text('code', block.name)), ' ', text('span', t('toolCallId', block.id), { class: 'muted' })),
        text('pre', block.input),
      );
    case 'tool_result': {
      const resultKey = block.isError ? 'toolErrorFor' : 'toolResultFor';
      return h(
        'div',
        { class: `block tool-result${block.isError ? ' is-error' : ''}`, role: 'group', 'aria-label': t(resultKey, block.toolUseId) },
        h('div', { class: 'block-title' }, ...tParts(resultKey, text('code', block.toolUseId))),
        ...block.content.map(renderBlock),
        block.structured !== undefined && h('details', {}, text('summary', t('structuredContent')), text('pre', block.structured)),
      );
    }
    case 'resource':
      return h(
        'div',
        { class: 'block resource', role: 'group', 'aria-label': t('resource', block.uri) },
        h('div', { class: 'block-title' }, ...tParts('resource', text('code', block.uri)), block.mimeType ? text('span', ` ${block.mimeType}`, { class: 'muted' }) : ''),
        block.text !== undefined && text('pre', revealHiddenCharacters(block.text)),
      );
    case 'other':
      return h('div', { class: 'block other' }, text('div', t('otherContent'), { class: 'block-title' }), text('pre', block.json));
  }
}
