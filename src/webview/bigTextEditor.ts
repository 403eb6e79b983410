/**
 * The editor for long texts (dist/webview/editor.js, loaded by bigText.ts on first need): a
 * CodeMirror view, which draws only the lines in sight, so a keystroke in a megabyte message costs
 * what it costs in a short one (a text area lays out its whole text on every key).
 *
 * What the model receives is exactly the text: lines split on "\n" only, so "\r" and every other
 * character stay as they are, and invisible characters are drawn as visible ⟦U+XXXX⟧ marks.
 */
import { EditorState } from '@codemirror/state';
import { EditorView, highlightSpecialChars, keymap, type ViewUpdate } from '@codemirror/view';
import { history, historyKeymap, insertNewline, standardKeymap } from '@codemirror/commands';
import { formatCodePoint, HIDDEN_CHARACTER_TABLE } from '../shared/hiddenCharacters';

export interface BigTextEditorOptions {
  readonly parent: HTMLElement;
  readonly text: string;
  /** Put on the editable element: its accessible name, `data-action`, `data-field`, `aria-describedby`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The page's script nonce: CodeMirror's style elements need it under the panel's CSP. */
  readonly nonce?: string;
  /** The text changed (typing, paste, undo). */
  onChange(): void;
  /** How many lines lie below what the editor shows, after scrolling, resizing or an edit. */
  onLinesBelow(lines: number): void;
}

export interface BigTextEditor {
  /** The editable element (focus target; carries the attributes). */
  readonly contentDOM: HTMLElement;
  text(): string;
  destroy(): void;
}

const hex = (n: number): string => `\\u{${n.toString(16)}}`;
/** The panel's table of hidden characters as one character class. */
const HIDDEN = new RegExp(`[${HIDDEN_CHARACTER_TABLE.map(([first, last]) => (first === last ? hex(first) : `${hex(first)}-${hex(last)}`)).join('')}]`, 'u');

function hiddenMark(code: number): HTMLElement {
  const mark = document.createElement('span');
  mark.className = 'cm-hidden-char';
  mark.textContent = `⟦${formatCodePoint(code)}⟧`;
  return mark;
}

/** The editor in the panel's theme colours (high-contrast themes give borders through --vscode-contrastBorder). */
const panelTheme = EditorView.theme({
  '&': {
    color: 'var(--vscode-input-foreground)',
    backgroundColor: 'var(--vscode-input-background)',
    border: '1px solid var(--vscode-input-border, var(--vscode-contrastBorder, transparent))',
    // MAX_TEXTAREA_ROWS lines, as a text area shows.
    maxHeight: 'calc(30 * 1.4 * var(--vscode-editor-font-size, 13px) + 10px)',
  },
  '&.cm-focused': { outline: '1px solid var(--vscode-focusBorder)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--vscode-editor-font-family, monospace)', fontSize: 'var(--vscode-editor-font-size, 13px)', lineHeight: '1.4', overflow: 'auto' },
  '.cm-content': { caretColor: 'var(--vscode-editorCursor-foreground, currentColor)', padding: '4px 0' },
  '.cm-line': { padding: '0 6px' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--vscode-editorCursor-foreground, currentColor)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--vscode-editor-selectionBackground)',
  },
  '.cm-hidden-char, .cm-specialChar': { color: 'var(--vscode-editorWarning-foreground, var(--vscode-errorForeground))' },
});

/**
 * Lines are wrapped unless one is longer than this (minified JSON, base64): the editor then draws
 * a window of such a line instead of all of its wrapped rows, so keys stay quick.
 */
const LONGEST_WRAPPED_LINE = 10_000;

function hasLineLongerThan(text: string, max: number): boolean {
  let start = 0;
  for (let end = text.indexOf('\n'); ; end = text.indexOf('\n', start)) {
    if ((end === -1 ? text.length : end) - start > max) return true;
    if (end === -1) return false;
    start = end + 1;
  }
}

export function createBigTextEditor(options: BigTextEditorOptions): BigTextEditor {
  // Set once constructed: the update listener may run before the constructor returns.
  let view: EditorView | undefined = undefined;
  const measureLinesBelow = () =>
    view?.requestMeasure({
      read: (view) => {
        // Heights are from the document's top; the scroller's bottom edge is what the user sees last.
        const scroller = view.scrollDOM;
        const bottom = view.lineBlockAtHeight(scroller.getBoundingClientRect().top + scroller.clientHeight - view.documentTop);
        return view.state.doc.lines - view.state.doc.lineAt(Math.min(bottom.to, view.state.doc.length)).number;
      },
      write: (below) => options.onLinesBelow(Math.max(0, below)),
    });
  view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.text,
      extensions: [
        EditorState.lineSeparator.of('\n'),
        ...(hasLineLongerThan(options.text, LONGEST_WRAPPED_LINE) ? [] : [EditorView.lineWrapping]),
        // tabindex: the editable element is in the tab order anyway; saying so lets checkers see that the
        // scrolling box around it is reachable by keyboard (axe scrollable-region-focusable).
        EditorView.contentAttributes.of({ ...options.attributes, tabindex: '0', spellcheck: 'false', autocorrect: 'off', autocapitalize: 'off' }),
        ...(options.nonce ? [EditorView.cspNonce.of(options.nonce)] : []),
        history(),
        // The editor's own keys for moves and selections past the lines it draws (a browser's would stop
        // at them: Ctrl+End, Ctrl+A, Page Down), undo and redo. Enter breaks the line as a text area
        // does, without copying its indentation; Tab is left to move the focus.
        keymap.of([{ key: 'Enter', run: insertNewline, shift: insertNewline }, ...standardKeymap, ...historyKeymap]),
        highlightSpecialChars({ addSpecialChars: HIDDEN, render: hiddenMark }),
        panelTheme,
        EditorView.updateListener.of((update: ViewUpdate) => {
          if (update.docChanged) options.onChange();
          if (update.docChanged || update.geometryChanged || update.viewportChanged) measureLinesBelow();
        }),
      ],
    }),
  });
  const created = view;
  created.scrollDOM.addEventListener('scroll', measureLinesBelow, { passive: true });
  measureLinesBelow();
  return {
    contentDOM: created.contentDOM,
    text: () => created.state.doc.toString(),
    destroy: () => created.destroy(),
  };
}
