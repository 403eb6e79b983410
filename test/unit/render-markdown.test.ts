import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from '../../src/webview/markdown';
import { countHiddenCharacters, revealHiddenCharacters } from '../../src/webview/hiddenCharacters';
import { safeAudioSrc, safeImageDataUri, safeImageSrc } from '../../src/webview/media';
import { contentSecurityPolicy, renderPanelHtml } from '../../src/vscode/panel/html';
import { PNG_1PX } from './protocol-fixtures';

/** Every tag name that markdown-it produced. */
const tags = (html: string): string[] => [...html.matchAll(/<([a-z][a-z0-9]*)\b/gi)].map((m) => m[1]!.toLowerCase());

test('raw HTML in markdown stays inert text', () => {
  const html = renderMarkdown('Hi <script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://evil"></iframe>');
  assert.ok(!tags(html).some((t) => ['script', 'img', 'iframe'].includes(t)), html);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=&quot;alert\(2\)&quot;&gt;/);
  assert.ok(!/<[^>]*\sonerror=/i.test(html), 'no tag carries an event handler attribute');
});

test('javascript: and other dangerous links never become links', () => {
  for (const src of ['[click](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[v](vbscript:msgbox)', '[f](file:///etc/passwd)', '<javascript:alert(1)>']) {
    const html = renderMarkdown(src);
    assert.ok(!/href=/i.test(html), `${src} -> ${html}`);
    assert.ok(!/<a\b/i.test(html), `${src} -> ${html}`);
  }
});

test('safe links are shown, not followed: no anchor, the target in a title', () => {
  const html = renderMarkdown('[docs](https://example.com/a?b=1&c="2")');
  assert.ok(!/<a\b/i.test(html));
  assert.match(html, /<span class="md-link" title="https:\/\/example\.com\/a\?b=1&amp;c=%222%22">docs<\/span>/);
});

test('markdown images render only from raster data: URIs', () => {
  const ok = renderMarkdown(`![dot](data:image/png;base64,${PNG_1PX})`);
  assert.match(ok, /<img class="md-image" src="data:image\/png;base64,/);
  for (const src of ['![x](https://example.com/track.png)', '![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)', '![x](data:text/html;base64,PGI+)']) {
    const html = renderMarkdown(src);
    assert.ok(!tags(html).includes('img'), `${src} -> ${html}`);
  }
  assert.match(renderMarkdown('![tracker](https://example.com/t.png)'), /\[image not loaded: tracker\]/);
});

test('markdown still renders ordinary formatting', () => {
  const html = renderMarkdown('# Title\n\n**bold** and `code`\n\n- a\n- b');
  assert.deepEqual(tags(html), ['h1', 'p', 'strong', 'code', 'ul', 'li', 'li']);
});

test('hidden and bidi characters are made visible in rendered text', () => {
  const sneaky = 'pay \u202Eevil\u202C now\u200B and \u{E0041}';
  assert.equal(countHiddenCharacters(sneaky), 4);
  assert.equal(revealHiddenCharacters(sneaky), 'pay ⟦U+202E⟧evil⟦U+202C⟧ now⟦U+200B⟧ and ⟦U+E0041⟧');
  assert.match(renderMarkdown(sneaky), /⟦U\+202E⟧/);
  assert.equal(countHiddenCharacters('plain text, émigré, 日本語'), 0);
});

test('safeImageSrc accepts only raster types with valid base64', () => {
  assert.equal(safeImageSrc('image/png', PNG_1PX), `data:image/png;base64,${PNG_1PX}`);
  assert.equal(safeImageSrc('IMAGE/JPEG', 'AAAA'), 'data:image/jpeg;base64,AAAA');
  assert.ok(safeImageSrc('image/gif', 'AAAA'));
  assert.ok(safeImageSrc('image/webp', 'AAAA'));
  assert.equal(safeImageSrc('image/svg+xml', 'PHN2Zz48L3N2Zz4='), undefined);
  assert.equal(safeImageSrc('text/html', 'AAAA'), undefined);
  assert.equal(safeImageSrc('image/png', 'AAAA" onerror="x'), undefined);
  assert.equal(safeImageSrc('image/png', 'AAA'), undefined, 'length not a multiple of 4');
  assert.equal(safeImageSrc('image/png', ''), undefined);
  assert.equal(safeImageSrc('image/png;base64,AAAA', 'AAAA'), undefined);
});

test('safeImageDataUri accepts whole data: URIs of raster images only', () => {
  assert.equal(safeImageDataUri(`data:image/png;base64,${PNG_1PX}`), `data:image/png;base64,${PNG_1PX}`);
  assert.equal(safeImageDataUri('data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='), undefined);
  assert.equal(safeImageDataUri('data:image/svg+xml,<svg onload=alert(1)>'), undefined);
  assert.equal(safeImageDataUri('https://example.com/a.png'), undefined);
  assert.equal(safeImageDataUri('javascript:alert(1)'), undefined);
  assert.equal(safeImageDataUri('data:image/png,AAAA'), undefined, 'not base64');
});

test('safeAudioSrc accepts audio types only', () => {
  assert.equal(safeAudioSrc('audio/wav', 'UklGRg=='), 'data:audio/wav;base64,UklGRg==');
  assert.ok(safeAudioSrc('audio/mpeg', 'AAAA'));
  assert.equal(safeAudioSrc('video/mp4', 'AAAA'), undefined);
  assert.equal(safeAudioSrc('image/png', 'AAAA'), undefined);
  assert.equal(safeAudioSrc('audio/wav', 'not base64!'), undefined);
});

test('the panel HTML has a strict CSP, one nonce script and no inline code or styles but the nonce\'d ones', () => {
  const html = renderPanelHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc+/=', scriptUri: 'https://x/panel.js', styleUri: 'https://x/panel.css' });
  const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc+/=');
  assert.equal(csp, "default-src 'none'; script-src 'nonce-abc+/='; style-src https://x.vscode-cdn.net 'nonce-abc+/='; img-src data: https://x.vscode-cdn.net; media-src data:; font-src https://x.vscode-cdn.net");
  assert.ok(html.includes(`content="${csp}"`));
  assert.ok(!csp.includes('unsafe'));
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0]![1], '', 'no inline script body');
  assert.match(scripts[0]![0], /nonce="abc\+\/="/);
  assert.ok(!/\sstyle=/.test(html));
  assert.ok(!/<style\b/.test(html));
  assert.ok(!/\son[a-z]+=/.test(html));
});
