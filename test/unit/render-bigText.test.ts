// Long texts in the panel's fields (src/webview/bigText.ts) on the fake DOM, where the CodeMirror
// editor cannot run: whichever way the editor is missing, the field holds the whole text.
// The editor itself is driven in the real workbench (test/e2e/bigText.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeDocument, installFakeDom, type FakeElement } from './render-fake-dom';

installFakeDom();
// Loaded after the fake DOM exists; the webview's DOM types are not in the Node test program.
const bigText = require('../../src/webview/bigText') as {
  BIG_TEXT_CHARS: number;
  locateEditor(script: { src: string; nonce: string } | null): void;
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
