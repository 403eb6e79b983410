/**
 * Markdown for the panel: markdown-it with raw HTML disabled, so `<script>` or `onerror=` stay text.
 * Markdown never hides text the model reads: links are shown, never followed, with their target
 * written after the text; link reference definitions (which render as nothing) are listed under the
 * text; blocked images show their source. Hidden characters become visible markers after parsing,
 * that is after markdown-it decoded entities (`&#x202E;` is revealed like a raw U+202E). DOM-free.
 */
import MarkdownIt from 'markdown-it';
import { revealHiddenCharacters } from '../shared/hiddenCharacters';
import { safeImageDataUri } from './media';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
type Token = ReturnType<typeof md.parse>[number];
const escapeHtml = md.utils.escapeHtml;
const attr = (token: { attrGet(name: string): string | number | null } | undefined, name: string): string => String(token?.attrGet(name) ?? '');
const shown = (value: string): string => escapeHtml(revealHiddenCharacters(value));

interface RenderEnv {
  references?: Record<string, { href: string; title?: string }>;
  /** Targets of the links being rendered (links do not nest in CommonMark, but be safe). */
  linkTargets?: string[];
}

md.renderer.rules.link_open = (tokens, idx, _options, renderEnv) => {
  const env = (renderEnv ?? {}) as RenderEnv;
  const href = attr(tokens[idx], 'href');
  (env.linkTargets ??= []).push(href);
  return `<span class="md-link" title="${shown(href)}">`;
};
md.renderer.rules.link_close = (_tokens, _idx, _options, renderEnv) => {
  const env = (renderEnv ?? {}) as RenderEnv;
  const href = env.linkTargets?.pop() ?? '';
  return `</span><span class="md-link-target"> (${shown(href)})</span>`;
};
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const alt = token ? self.renderInlineAsText(token.children ?? [], options, env) : '';
  const src = safeImageDataUri(attr(token, 'src'));
  if (src) return `<img class="md-image" src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  return `<span class="md-image-blocked" title="${shown(attr(token, 'src'))}">[image not loaded: ${escapeHtml(alt)}] (${shown(attr(token, 'src'))})</span>`;
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

function referenceList(env: RenderEnv): string {
  const refs = Object.entries(env.references ?? {});
  if (refs.length === 0) return '';
  const items = refs.map(([label, ref]) => `<li><code>[${shown(label)}]: ${shown(ref.href)}${ref.title ? ` "${shown(ref.title)}"` : ''}</code></li>`);
  return `<div class="md-references"><p class="md-references-title">Link references (not shown in the text above):</p><ul>${items.join('')}</ul></div>`;
}

/** HTML for trusted insertion: the only markup comes from markdown-it with `html: false`. */
export function renderMarkdown(text: string): string {
  const env: Record<string, unknown> = {};
  const tokens = md.parse(revealHiddenCharacters(text), env);
  reveal(tokens);
  return md.renderer.render(tokens, md.options, env) + referenceList(env as RenderEnv);
}
