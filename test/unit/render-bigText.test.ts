// Long texts in the panel's fields (src/webview/bigText.ts) on the fake DOM, where the CodeMirror
// editor cannot run: whichever way the editor is missing, the field holds the whole text.
// The editor itself is driven in the real workbench (test/e2e/bigText.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeDocument, installFakeDom, type FakeElement } from './render-fake-dom';
import type { RequestView } from '../../src/shared/protocol';
import { sampleView } from './protocol-fixtures';

installFakeDom();
// Loaded after the fake DOM exists; the webview's DOM types are not in the Node test program.
interface FakeEditorOptions {
  parent: FakeElement;
  text: string;
  attributes: Record<string, string>;
  nonce?: string;
  onChange(): void;
  onLinesBelow(lines: number): void;
}
const bigText = require('../../src/webview/bigText') as {
  BIG_TEXT_CHARS: number;
  locateEditor(script: { src: string; nonce: string } | null, load?: (url: string) => Promise<unknown>): void;
  releaseDetachedEditors(): void;
  isTextSource(el: FakeElement): boolean;
  textField(action: string, label: string, value: string, field?: string): { area: FakeElement; notice: FakeElement };
  fieldText(el: FakeElement): string;
};

const LONG = `${'a line of a long message\r\n'.repeat(2000)}\u202Eend`;

test('a short text is a text area, and so is a long one while no editor is located', () => {
  assert.ok(LONG.length > bigText.BIG_TEXT_CHARS);
  for (const value of ['short', LONG]) {
    const { area } = bigText.textField('edit-message-0', 'Message 1', value, 'message-0');
    assert.equal(area.tagName, 'textarea');
    assert.equal(area.value, value, 'the whole text, exactly');
    assert.equal(bigText.fieldText(area), value);
  }
});

test('when the editor cannot be loaded, the long text becomes a text area with the whole text', async () => {
  bigText.locateEditor({ src: 'https://panel.invalid/dist/webview/panel.js', nonce: 'abc' });
  const { area: box, notice } = bigText.textField('edit-message-0', 'Message 1', LONG, 'message-0');
  assert.equal(box.tagName, 'div', 'a box for the editor, which loads on first need');
  assert.equal(box.getAttribute('aria-busy'), 'true');
  assert.equal(bigText.fieldText(box), LONG, 'before the editor is there, the box reads as the server\'s text');
  fakeDocument.body.append(box, notice);

  // The import of https://panel.invalid/dist/webview/editor.js fails: the field falls back.
  let textarea: FakeElement | null = null;
  for (let i = 0; i < 100 && !textarea; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    textarea = fakeDocument.body.querySelector('textarea[data-action="edit-message-0"]');
  }
  assert.ok(textarea, 'a text area replaces the box');
  assert.equal(textarea.value, LONG);
  assert.equal(textarea.getAttribute('aria-label'), 'Message 1');
  assert.equal(textarea.getAttribute('data-field'), 'message-0');
  assert.equal(fakeDocument.body.querySelector('[data-big-text]'), null, 'the box is gone');
  textarea.value = `${LONG} edited`;
  assert.equal(bigText.fieldText(box), `${LONG} edited`, 'the preview, which holds the box, reads the text area');
});

test('the editor is mounted with the field\'s hooks, is read as the field, and is destroyed once its card is gone', async () => {
  const made: { options: FakeEditorOptions; content: FakeElement; destroyed: number; text: string }[] = [];
  const urls: string[] = [];
  bigText.locateEditor({ src: 'https://panel.invalid/dist/webview/panel.js', nonce: 'n0nce' }, async (url) => {
    urls.push(url);
    return {
      createBigTextEditor(options: FakeEditorOptions) {
        const content = fakeDocument.createElement('div');
        for (const [k, v] of Object.entries(options.attributes)) content.setAttribute(k, v);
        options.parent.append(content);
        const editor = { options, content, destroyed: 0, text: options.text };
        made.push(editor);
        return { contentDOM: content, text: () => editor.text, destroy: () => void editor.destroyed++ };
      },
    };
  });
  const card = fakeDocument.createElement('article');
  fakeDocument.body.append(card);
  const { area: box, notice } = bigText.textField('edit-message-0', 'Message 1', LONG, 'message-0');
  card.append(box, notice);
  for (let i = 0; i < 100 && made.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));

  assert.deepEqual(urls, ['https://panel.invalid/dist/webview/editor.js'], 'editor.js beside the panel\'s script');
  const [editor] = made;
  assert.ok(editor);
  assert.equal(editor.options.text, LONG, 'the whole text');
  assert.equal(editor.options.nonce, 'n0nce', 'the script\'s nonce, for its style elements');
  assert.deepEqual(editor.options.attributes, { 'aria-label': 'Message 1', 'aria-describedby': notice.getAttribute('id'), 'data-action': 'edit-message-0', 'data-field': 'message-0' });
  assert.equal(box.getAttribute('aria-busy'), null);
  assert.equal(card.querySelector('[data-action="edit-message-0"]'), editor.content);
  assert.equal(bigText.isTextSource(editor.content), true);
  editor.text = `${LONG}!`;
  assert.equal(bigText.fieldText(editor.content), `${LONG}!`, 'read as the field');
  assert.equal(bigText.fieldText(box), `${LONG}!`);

  // A change is an input event from the field, as typing in a text area is.
  const inputs: unknown[] = [];
  card.addEventListener('input', (e) => inputs.push(e.target));
  editor.options.onChange();
  assert.deepEqual(inputs, [editor.content]);
  editor.options.onLinesBelow(1200);
  assert.equal(notice.hidden, false);
  assert.equal(notice.textContent, '1,200 more lines below: scroll inside the box to read them.');
  editor.options.onLinesBelow(0);
  assert.equal(notice.hidden, true);

  // The card is redrawn: the editor no longer in the page is destroyed, once.
  bigText.releaseDetachedEditors();
  assert.equal(editor.destroyed, 0, 'still on screen');
  card.remove();
  bigText.releaseDetachedEditors();
  bigText.releaseDetachedEditors();
  assert.equal(editor.destroyed, 1);
  assert.equal(bigText.isTextSource(editor.content), false);
});

test('a card redrawn after its request closed destroys its editor, with no other editor opening', async () => {
  const { createRequestCards } = require('../../src/webview/requestCards') as { createRequestCards(list: FakeElement, drafts: Record<string, object>): { renderOne(view: RequestView): void } };
  const destroyed: string[] = [];
  bigText.locateEditor({ src: 'https://panel.invalid/dist/webview/panel.js', nonce: 'n' }, async () => ({
    createBigTextEditor(options: FakeEditorOptions) {
      const content = fakeDocument.createElement('div');
      content.setAttribute('data-action', options.attributes['data-action'] ?? '');
      options.parent.append(content);
      return { contentDOM: content, text: () => options.text, destroy: () => void destroyed.push(options.attributes['data-action'] ?? '') };
    },
  }));
  const list = fakeDocument.createElement('div');
  fakeDocument.body.append(list);
  const cards = createRequestCards(list, {});
  const pending = sampleView({ requestId: 'big-1', messages: [{ role: 'user', content: [{ type: 'text', text: LONG }] }] });
  cards.renderOne(pending);
  for (let i = 0; i < 100 && !list.querySelector('div[data-action="edit-message-0"]'); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(list.querySelector('div[data-action="edit-message-0"]'), 'the message is in the editor');

  cards.renderOne({ ...pending, state: 'closed', step: 'done', closed: { outcome: 'answered', reason: 'Answered' } });
  assert.deepEqual(destroyed, ['edit-message-0'], 'the closed card shows text; its editor is gone');
});
