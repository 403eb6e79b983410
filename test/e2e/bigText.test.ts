/**
 * A long message in the real workbench: above BIG_TEXT_CHARS the card's field is the CodeMirror
 * editor (dist/webview/editor.js, imported under the panel's CSP), not a text area. Driven by
 * keyboard alone, the model receives exactly the text with the user's edit ("\r" and invisible
 * characters included: the test model answers with the SHA-256 of what it received); undo and redo
 * work; the editor says how many lines lie below, shows invisible characters, and axe finds nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, textOf, waitForConnected } from '../harness/panel';
import { axeViolations } from '../harness/axe';
import { repoRoot } from '../harness/paths';
import { waitFor } from '../support/waitFor';

const fixtureServer = { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/samplingServer.js'), '--name', 'alpha'] };

/** About 72 KB in 900 lines: a Windows line end and a right-to-left override a reviewer must not miss. */
const LONG_PROMPT = `DIGEST ONLY\r\nthe next word is reversed: \u202Eevil\u202C.\n${Array.from({ length: 900 }, (_, i) => `line ${i} `.padEnd(79, '.')).join('\n')}\n`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a long message in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      theme: 'Default Dark Modern',
      settings: { 'mcpSampling.approval': 'ask', 'mcpSampling.reviewResponses': false, 'mcpSampling.defaultProvider': 'vscode-lm', 'mcpSampling.servers': { alpha: fixtureServer } },
    });
    await waitForConnected(session, ['alpha']);
  });

  after(async () => {
    await session?.stop();
  });

  it('is edited in the editor by keyboard, and the model receives exactly the edited text', async () => {
    const { result, frame, card } = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: LONG_PROMPT });
    const field = card.locator('[data-action="edit-message-0"]');
    await field.waitFor({ timeout: 30_000 });
    assert.equal(await field.evaluate((el) => el.tagName), 'DIV', 'the editor, not a text area');
    assert.equal(await field.getAttribute('contenteditable'), 'true');
    assert.equal(await field.getAttribute('role'), 'textbox');
    assert.equal(await field.getAttribute('aria-multiline'), 'true');
    const label = (await card.locator('[data-field-wrap="message-0"] label').innerText()).replace(/\s+/g, ' ').trim();
    assert.ok(label.startsWith((await field.getAttribute('aria-label')) ?? '-'), `the accessible name is the visible label (${label})`);

    // What lies below is said, and the invisible override is drawn.
    const notice = card.locator('[data-field-wrap="message-0"] [data-role="more-lines"]');
    await waitFor('the lines-below notice', async () => /\d[\d,.\s]* more lines below/.test(await notice.innerText()), { timeoutMs: 10_000, intervalMs: 100 });
    const below = Number((await notice.innerText()).replace(/\D+/g, ' ').trim().split(' ')[0]);
    assert.ok(below > 800, `most of the 902 lines are below (${below})`);
    assert.deepEqual(await field.locator('.cm-hidden-char').allInnerTexts(), ['⟦U+000D⟧', '⟦U+202E⟧', '⟦U+202C⟧'], 'the line end\'s "\\r" and the bidi characters are drawn');
    assert.equal(await field.getAttribute('aria-describedby'), await notice.getAttribute('id'));

    const violations = (await axeViolations(frame)).filter((v) => v.impact !== 'minor');
    assert.deepEqual(violations, [], 'axe finds nothing of moderate impact or above with the editor on screen');

    // Keyboard only: to the end, type, undo, redo, approve.
    await field.focus();
    await session.page.keyboard.press('Control+End');
    await session.page.keyboard.type(' EDITED');
    const lastLine = field.locator('.cm-line').last();
    await waitFor('the typed text', async () => (await lastLine.innerText()) === ' EDITED', { timeoutMs: 10_000, intervalMs: 100 });
    await waitFor('the notice to say nothing is below', async () => await notice.isHidden(), { timeoutMs: 10_000, intervalMs: 100 });
    await session.page.keyboard.press('Control+z');
    await waitFor('undo', async () => (await lastLine.innerText()).trim() === '', { timeoutMs: 10_000, intervalMs: 100 });
    await session.page.keyboard.press('Control+y');
    await waitFor('redo', async () => (await lastLine.innerText()) === ' EDITED', { timeoutMs: 10_000, intervalMs: 100 });
    await session.page.keyboard.press('Control+Enter');

    const final = await result;
    assert.notEqual(final.isError, true, textOf(final));
    const sent = JSON.parse(textOf(final)) as { content: { text: string } };
    const edited = `${LONG_PROMPT} EDITED`;
    assert.equal(sent.content.text, `sha256 ${sha256(edited)} length ${edited.length}`, 'the model received the server\'s text with the one edit');
  });
});
