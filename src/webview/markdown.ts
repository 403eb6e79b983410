/**
 * Markdown for the panel: markdown-it with raw HTML disabled, so `<script>` or `onerror=` stay text.
 * Links are shown, never followed (rendered as a span with the target in its title); images render
 * only from raster data: URIs. Hidden characters become visible markers first. DOM-free for tests.
 */
import MarkdownIt from 'markdown-it';
import { revealHiddenCharacters } from './hiddenCharacters';
import { safeImageDataUri } from './media';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
const escapeHtml = md.utils.escapeHtml;
const attr = (token: { attrGet(name: string): string | number | null } | undefined, name: string): string => String(token?.attrGet(name) ?? '');

md.renderer.rules.link_open = (tokens, idx) => {
  const href = attr(tokens[idx], 'href');
  return `<span class="md-link" title="${escapeHtml(href)}">`;
};
md.renderer.rules.link_close = () => '</span>';
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = token ? self.renderInlineAsText(token.children ?? [], options, env) : '';
  const src = safeImageDataUri(attr(token, 'src'));
  if (src) return `<img class="md-image" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  return `<span class="md-image-blocked" title="${escapeHtml(attr(token, 'src'))}">[image not loaded: ${escapeHtml(alt)}]</span>`;
};

/** HTML for trusted insertion: the only markup comes from markdown-it with `html: false`. */
export function renderMarkdown(text: string): string {
  return md.render(revealHiddenCharacters(text));
}
