/**
 * Tiny DOM builders: every text goes through textContent, every attribute through setAttribute.
 * Every text they display has its hidden characters revealed as ⟦U+XXXX⟧ markers (server and tool
 * names, schemas, JSON, resource text): nothing a model reads is invisible in a read-only view.
 * Editable fields (`.value`) keep the exact text and show a count instead (card.ts).
 */
import { revealHiddenCharacters } from '../shared/hiddenCharacters';

type Child = Node | string | false | null | undefined;
export type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  // A <pre> scrolls past 40em (panel.css): focusable, so keyboard users can scroll it too (axe scrollable-region-focusable).
  if (tag === 'pre') el.setAttribute('tabindex', '0');
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'style' || name.startsWith('on')) throw new Error(`refusing attribute ${name}`);
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(revealHiddenCharacters(child)) : child);
  }
}

export function text(tag: keyof HTMLElementTagNameMap, content: string, attrs: Attrs = {}): HTMLElement {
  const el = h(tag, attrs);
  el.textContent = revealHiddenCharacters(content);
  return el;
}
