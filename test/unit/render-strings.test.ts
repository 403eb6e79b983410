// Issue 24, item 3: the words the webview used to write as English literals (the card's attribution
// line, the not-shown notice, content blocks, markdown notes, elicitation cards) come from the host's
// table, so a translated entry reaches the panel; a placeholder a translation moves keeps its element.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom, type FakeElement } from './render-fake-dom';
import type { ContentView, ElicitationView, RequestView } from '../../src/shared/protocol';
import { PANEL_STRINGS, readPanelStrings } from '../../src/shared/panelStrings';
import { ROUTE_NAMES, routeLabel } from '../../src/shared/routeLabel';
import { sampleView } from './protocol-fixtures';

installFakeDom();
const { useStrings } = require('../../src/webview/strings') as typeof import('../../src/webview/strings');
const { renderCard } = require('../../src/webview/card') as { renderCard(view: RequestView, draft: object, ui: { diffOpen: boolean; rejecting: boolean }): unknown };
const { renderBlock } = require('../../src/webview/content') as { renderBlock(block: ContentView): unknown };
const { renderElicitationCard } = require('../../src/webview/elicitationCard') as { renderElicitationCard(view: ElicitationView): unknown };
const { renderMarkdown } = require('../../src/webview/markdown') as typeof import('../../src/webview/markdown');

const card = (view: RequestView) => renderCard(view, {}, { diffOpen: false, rejecting: false }) as FakeElement;

function translated(entries: Partial<Record<keyof typeof PANEL_STRINGS, string>>, check: () => void): void {
  useStrings(readPanelStrings({ ...PANEL_STRINGS, ...entries }));
  try {
    check();
  } finally {
    useStrings(undefined);
  }
}

test('the attribution line and the not-shown notice use the translated entries', () => {
  translated({ calledBy: 'Aufgerufen von {0}', attributionWhileRunning: 'während {0} lief', receivedAt: 'empfangen {0}', notShownMany: '{0} Teile fehlen hier, das Modell erhält sie.' }, () => {
    const el = card(sampleView({ runningToolName: 'search', toolCaller: 'Claude Code', notShown: ['a', 'b'] }));
    const header = el.querySelector('header')!.textContent;
    assert.match(header, /Aufgerufen von Claude Code/);
    assert.match(header, /während search lief/);
    assert.match(header, /empfangen /);
    assert.doesNotMatch(header, /Called by|was running|received/);
    assert.equal(el.querySelector('[data-role="not-shown"]')?.querySelector('strong')?.textContent, '2 Teile fehlen hier, das Modell erhält sie.');
  });
});

test('a translation that moves the placeholder keeps the element in its place (tool call title, URL notice)', () => {
  translated({ toolCall: '{0}-Werkzeugaufruf', opensInBrowser: '{0} wird in Ihrem Browser geöffnet:' }, () => {
    const block = renderBlock({ type: 'tool_use', id: 't1', name: 'search', input: '{}' }) as FakeElement;
    const title = block.querySelector('.block-title')!;
    assert.equal(title.childNodes[0]?.textContent, 'search');
    assert.equal((title.childNodes[0] as FakeElement).tagName?.toLowerCase(), 'code', 'the tool name stays a code element');
    assert.equal(block.getAttribute('aria-label'), 'search-Werkzeugaufruf');
    const url = renderElicitationCard({ id: 'e1', serverName: 'auth', message: 'Sign in', mode: 'url', url: 'https://login.example.com/', host: 'login.example.com' }) as FakeElement;
    assert.match(url.querySelector('.elicit-url')!.querySelector('p')!.textContent, /^login\.example\.com wird in Ihrem Browser geöffnet:$/);
    assert.equal(url.querySelector('[data-role="elicit-host"]')?.textContent, 'login.example.com');
  });
});

test('elicitation buttons are translated and their accessible names still contain their visible text', () => {
  translated({ submit: 'Senden', submitContext: 'sendet diese Werte an {0}', decline: 'Ablehnen', asksForInformation: '{0} bittet um Angaben' }, () => {
    const el = renderElicitationCard({ id: 'e2', serverName: 'srv', message: 'Name?', mode: 'form', requestedSchema: { type: 'object', properties: { name: { type: 'string' } } }, defaults: {} }) as FakeElement;
    assert.equal(el.querySelector('h2')?.textContent, 'srv bittet um Angaben');
    for (const [action, visible] of [['elicit-accept', 'Senden'], ['elicit-decline', 'Ablehnen']] as const) {
      const button = el.querySelector(`[data-action="${action}"]`)!;
      assert.equal(button.textContent, visible);
      assert.ok(button.getAttribute('aria-label')?.startsWith(visible), `${action}: ${button.getAttribute('aria-label')}`);
    }
  });
});

test('markdown notes are translated and a translation is escaped like any text', () => {
  translated({ imageNotLoaded: '<b>Bild nicht geladen: {0}</b>' }, () => {
    const html = renderMarkdown('![alt](https://example.com/x.png)');
    assert.match(html, /&lt;b&gt;Bild nicht geladen: alt&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>/);
  });
});

test('in English the card words the route as the history does', () => {
  for (const route of ROUTE_NAMES) {
    for (const version of [undefined, '2025-11-25']) {
      const meta = card(sampleView({ route, protocolVersion: version })).querySelector('header')!.querySelector('.muted')!.textContent;
      assert.ok(meta.includes(routeLabel(route, version)), `${route} ${version}: ${meta}`);
    }
  }
});

test('what is wrong with a form answer is told in the translated entries, with the field named', () => {
  const { validateElicitationContent } = require('../../src/shared/elicitation') as typeof import('../../src/shared/elicitation');
  const { t } = require('../../src/webview/strings') as typeof import('../../src/webview/strings');
  const schema = {
    type: 'object' as const,
    properties: { name: { type: 'string' as const, maxLength: 3 }, age: { type: 'integer' as const, minimum: 18 }, pets: { type: 'array' as const, items: { type: 'string' as const, enum: ['cat'] } } },
    required: ['name', 'age'],
  };
  translated({ fieldRequired: '{0} ist erforderlich', fieldAtLeast: '{0} muss mindestens {1} sein', fieldNotAnOption: '{0} enthält {1}, keine der Optionen', fieldNotInForm: '{0} gehört nicht zum Formular' }, () => {
    assert.deepEqual(validateElicitationContent(schema, { age: 12, pets: ['dog'], extra: 1 }, t), ['name ist erforderlich', 'age muss mindestens 18 sein', 'pets enthält "dog", keine der Optionen', 'extra gehört nicht zum Formular']);
  });
  // The host's words (to servers and logs) stay English.
  assert.deepEqual(validateElicitationContent(schema, { name: 'Anna', age: 12.5 }), ['name: must be at most 3 characters', 'age: must be an integer']);
});
