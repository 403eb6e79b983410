/**
 * Markdown for the panel: markdown-it with raw HTML disabled, so `<script>` or `onerror=` stay text.
 * Markdown never hides text the model reads: links are shown, never followed, with their target and
 * title written after the text; a code fence's info string is shown above it; images show their alt
 * text and title (blocked ones their source too); tables are off (they drop cells beyond the header's
 * count), so their rows show as written; source lines that render as nothing (link reference
 * definitions, repeated ones too) are listed under the text as written. Hidden characters become
 * visible markers after parsing, that is after markdown-it decoded entities (`&#x202E;` is revealed
 * like a raw U+202E). DOM-free.
 */
import MarkdownIt from 'markdown-it';
import { revealHiddenCharacters } from '../shared/hiddenCharacters';
import { safeImageDataUri } from './media';
import { t } from './strings';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false }).disable('table');
type Token = ReturnType<typeof md.parse>[number];
const escapeHtml = md.utils.escapeHtml;
const attr = (token: { attrGet(name: string): string | number | null } | undefined, name: string): string => String(token?.attrGet(name) ?? '');
const shown = (value: string): string => escapeHtml(revealHiddenCharacters(value));

interface RenderEnv {
  /** Targets and titles of the links being rendered (links do not nest in CommonMark, but be safe). */
  linkTargets?: { href: string; title: string }[];
}

/** markdown-it percent-encodes targets; the model reads the words, so the reviewer sees them decoded. */
function readable(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

/** ` (target "title")`, as written after a link or image. */
const target = (href: string, title: string): string => ` (${shown(readable(href))}${title ? ` "${shown(title)}"` : ''})`;

md.renderer.rules.link_open = (tokens, idx, _options, renderEnv) => {
  const env = (renderEnv ?? {}) as RenderEnv;
  const href = attr(tokens[idx], 'href');
  (env.linkTargets ??= []).push({ href, title: attr(tokens[idx], 'title') });
  return `<span class="md-link" title="${shown(href)}">`;
};
md.renderer.rules.link_close = (_tokens, _idx, _options, renderEnv) => {
  const env = (renderEnv ?? {}) as RenderEnv;
  const link = env.linkTargets?.pop() ?? { href: '', title: '' };
  return `</span><span class="md-link-target">${target(link.href, link.title)}</span>`;
};
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = token ? self.renderInlineAsText(token.children ?? [], options, env) : '';
  const title = attr(token, 'title');
  const src = safeImageDataUri(attr(token, 'src'));
  if (src) {
    const caption = alt || title ? `<span class="md-image-caption">${escapeHtml(alt)}${title ? ` "${shown(title)}"` : ''}</span>` : '';
    return `<img class="md-image" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">${caption}`;
  }
  return `<span class="md-image-blocked" title="${shown(attr(token, 'src'))}">${escapeHtml(t('imageNotLoaded', alt))}${target(attr(token, 'src'), title)}</span>`;
};
const renderFence = md.renderer.rules.fence!;
md.renderer.rules.fence = (tokens, idx, options, env, self) => {
  // Only the info string's first word becomes a class: the rest of the line would be lost.
  const info = tokens[idx]?.info.trim() ?? '';
  const code = renderFence(tokens, idx, options, env, self);
  return info ? `<div class="md-fence-info">${shown(info)}</div>${code}` : code;
};

/** Reveals hidden characters in every token's decoded content and titles. */
function reveal(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.content) token.content = revealHiddenCharacters(token.content);
    const title = token.attrGet('title');
    if (typeof title === 'string') token.attrSet('title', revealHiddenCharacters(title));
    if (token.children) reveal(token.children);
  }
}

/** Block tokens whose lines are rendered; container tokens (lists, quotes) are left to what they hold. */
const RENDERED_BLOCKS = new Set(['paragraph_open', 'heading_open', 'fence', 'code_block', 'hr', 'html_block']);
/** A line with nothing but quote and list markers. */
const MARKERS_ONLY = /^[\s>]*(?:(?:[-*+]|\d{1,9}[.)])[\s>]*)?$/;

/** The source lines that render as nothing: link reference definitions (every one, repeated labels too). */
function unrenderedLines(source: string, tokens: Token[]): string[] {
  const lines = source.split(/\r\n?|\n/);
  const rendered = new Uint8Array(lines.length);
  for (const token of tokens) {
    if (token.map && RENDERED_BLOCKS.has(token.type)) rendered.fill(1, token.map[0], token.map[1]);
  }
  return lines.filter((line, i) => !rendered[i] && !MARKERS_ONLY.test(line));
}

function unrenderedList(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  const items = lines.map((line) => `<li><code>${shown(line)}</code></li>`);
  return `<div class="md-references"><p class="md-references-title">${escapeHtml(t('linesNotShown'))}</p><ul>${items.join('')}</ul></div>`;
}

/** HTML for trusted insertion: the only markup comes from markdown-it with `html: false`. */
export function renderMarkdown(text: string): string {
  const env: Record<string, unknown> = {};
  const source = revealHiddenCharacters(text);
  const tokens = md.parse(source, env);
  reveal(tokens);
  return md.renderer.render(tokens, md.options, env) + unrenderedList(unrenderedLines(source, tokens));
}
