/**
 * Long texts in the card's editable fields: above BIG_TEXT_CHARS characters a field is the editor of
 * bigTextEditor.ts (dist/webview/editor.js, fetched on first need so short requests never load it)
 * instead of a text area, which lays out its whole text on every key. The panel reads a field
 * through `fieldText`, whichever it is. Without the editor (not located, or it failed to load) the
 * field is a text area: slower, never less.
 */
import type { BigTextEditor, BigTextEditorOptions } from './bigTextEditor';
import { h } from './dom';
import { linesBelowText, nextId, sizedTextarea } from './controls';

/** Above this many characters a field is the editor (a text area's keystroke costs a frame at about 100 KB). */
export const BIG_TEXT_CHARS = 20_000;

export interface EditorModule {
  createBigTextEditor(options: BigTextEditorOptions): BigTextEditor;
}

let editorUrl: string | undefined;
let scriptNonce: string | undefined;
let loading: Promise<EditorModule | undefined> | undefined;
// The import inherits the panel script's nonce (CSP script-src). Tests under Node pass their own.
let importModule = (url: string): Promise<EditorModule> => import(url) as Promise<EditorModule>;

/**
 * Finds editor.js beside the panel's script; main.ts calls it while its script runs (the only time
 * `currentScript` is set). `load` replaces the browser's import (tests).
 */
export function locateEditor(script: HTMLOrSVGScriptElement | null, load?: (url: string) => Promise<EditorModule>): void {
  if (!script || !('src' in script) || !script.src) return;
  editorUrl = new URL('editor.js', script.src).href;
  scriptNonce = script.nonce || undefined;
  loading = undefined;
  if (load) importModule = load;
}

function loadEditor(): Promise<EditorModule | undefined> {
  loading ??= editorUrl ? importModule(editorUrl).then((m) => m, () => undefined) : Promise.resolve(undefined);
  return loading;
}

/** The editors on screen (by their editable element). */
const editors = new Map<HTMLElement, BigTextEditor>();

/**
 * Destroys the editors no longer in the page (their card was redrawn, closed or dropped): each holds
 * its whole text and listeners on the window. The cards call it after each redraw.
 */
export function releaseDetachedEditors(): void {
  for (const [content, editor] of editors) {
    if (content.isConnected) continue;
    editor.destroy();
    editors.delete(content);
  }
}

/** A field the panel reads (a text area, an input, a select, or an editor's editable element). */
export const isTextSource = (el: Element): boolean => editors.has(el as HTMLElement);

/** A long text's box (what textField returned) → its text, the editor's once mounted. */
const boxTexts = new WeakMap<Element, () => string>();

/** The text of a field (or of textField's box): an editor's text, or an input's value. */
export function fieldText(el: Element): string {
  return editors.get(el as HTMLElement)?.text() ?? boxTexts.get(el)?.() ?? (el as HTMLInputElement).value;
}

function showLinesBelow(notice: HTMLElement, below: number): void {
  notice.hidden = below <= 0;
  notice.textContent = linesBelowText(below);
}

/**
 * An editable field for `value`: a sized text area, or for a long text the editor (mounted once
 * loaded; until then an empty, busy box). `area` carries `data-action`, `data-field` and the
 * accessible name once it is the field itself; callers look fields up by those attributes.
 */
export function textField(action: string, label: string, value: string, field?: string): { area: HTMLElement; notice: HTMLElement } {
  if (value.length <= BIG_TEXT_CHARS || !editorUrl) return sizedTextarea(action, label, value, field);
  const notice = h('p', { class: 'more-lines', 'data-role': 'more-lines', id: nextId('more-lines'), hidden: true });
  const box = h('div', { class: 'big-text', 'aria-busy': 'true', 'data-big-text': action });
  let editor: BigTextEditor | undefined;
  boxTexts.set(box, () => editor?.text() ?? value);
  void loadEditor().then((module) => {
    if (!box.isConnected) return;
    box.removeAttribute('aria-busy');
    if (!module) {
      const fallback = sizedTextarea(action, label, value, field);
      boxTexts.set(box, () => fallback.area.value);
      box.replaceWith(fallback.area);
      notice.replaceWith(fallback.notice);
      return;
    }
    releaseDetachedEditors();
    editor = module.createBigTextEditor({
      parent: box,
      text: value,
      attributes: { 'aria-label': label, 'aria-describedby': notice.id, 'data-action': action, ...(field ? { 'data-field': field } : {}) },
      ...(scriptNonce ? { nonce: scriptNonce } : {}),
      // The panel notes typing from input events, as for a text area (undo and redo included).
      onChange: () => editor?.contentDOM.dispatchEvent(new Event('input', { bubbles: true })),
      onLinesBelow: (below) => showLinesBelow(notice, below),
    });
    editors.set(editor.contentDOM, editor);
  });
  return { area: box, notice };
}
