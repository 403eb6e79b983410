/**
 * The hostile fixture server in the real workbench: XSS payloads in every field (its configured name,
 * its reported name, tool names, every string of the request), hidden and bidi characters, 1 MB of
 * text and an SVG image. The panel must show all of it as inert text, warn about the hidden
 * characters, and stay responsive.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';
import { XSS } from '../fixtures/hostilePayloads';

const SERVER = `evil <img src=x onerror="window.__pwned='config-name'"> <script>window.__pwned='config-script'</script>`;
const shots = path.join(repoRoot, 'test-results');

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

describe('a hostile server in the real workbench', () => {
  let session: Session;
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    session = await startSession({
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { [SERVER]: { type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/hostileServer.js'), '--xss-name'] } },
      },
    });
    await waitUntil('the hostile server to connect', 60_000, async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === SERVER && s.status === 'connected');
    });
  });

  after(async () => {
    await session?.stop();
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled.map(String), [], 'no unhandled promise rejections');
    unhandled = [];
  });

  async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Calls a hostile tool and waits for its request's card in the panel. */
  async function startSampling(tool: string, args: Record<string, unknown>): Promise<{ result: Promise<ToolResult>; card: Locator; frame: Frame }> {
    const known = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    const result = session.command<ToolResult>('mcpSampling.callTool', SERVER, tool, args);
    result.catch(() => undefined);
    let id = '';
    await waitUntil(`a request from ${tool}`, 30_000, async () => {
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      id = pending.find((r) => r.serverName === SERVER && !known.has(r.id))?.id ?? '';
      return id !== '';
    });
    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    return { result, card: frame.locator(`[data-request-id="${id}"]`), frame };
  }

  /** Script or active content that came from server text, anywhere in the panel's document (evaluated in the browser). */
  const ACTIVE_CONTENT = `(() => ({
    pwned: window.__pwned,
    scripts: [...document.querySelectorAll('script')].filter((s) => (s.textContent || '').includes('__pwned')).length,
    handlers: document.querySelectorAll('[onerror], [onload], [onclick], [onmouseover]').length,
    frames: document.querySelectorAll('iframe, object, embed').length,
    jsLinks: [...document.querySelectorAll('a[href], area[href], [src]')].filter((e) => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
    svgImages: [...document.querySelectorAll('img')].filter((i) => /svg/i.test(i.getAttribute('src') || '')).length + document.querySelectorAll('svg [onload], svg script').length,
  }))()`;

  async function activeContent(frame: Frame): Promise<Record<string, unknown>> {
    return frame.evaluate(ACTIVE_CONTENT);
  }

  async function assertInert(frame: Frame): Promise<void> {
    assert.deepEqual(await activeContent(frame), { pwned: undefined, scripts: 0, handlers: 0, frames: 0, jsLinks: 0, svgImages: 0 });
    assert.equal(await session.page.evaluate('window.__pwned'), undefined, 'the workbench is untouched too');
  }

  it('shows XSS payloads from every field as inert text; javascript: links do nothing', async () => {
    const { result, card, frame } = await startSampling(`xss ${XSS}`, {});
    assert.equal(await card.getAttribute('data-server'), SERVER, 'the name is an attribute value, not markup');
    const shown = await card.innerText();
    assert.ok(shown.includes('<script>window.__pwned'), 'the payload is visible as text');
    // Open every markdown preview so the payloads are rendered as markdown too.
    for (const summary of await card.locator('details summary').all()) await summary.click();
    await assertInert(frame);
    // Markdown links render as inert spans: clicking one runs nothing.
    const links = card.locator('.md-link');
    if ((await links.count()) > 0) await links.first().click();
    await assertInert(frame);
    await session.screenshot(path.join(shots, 'hostile-xss.png'));
    await card.locator('[data-action="reject"]').click();
    assert.equal((await result).isError, true);
    await assertInert(frame);
  });

  it('warns about bidi-override and zero-width characters hiding instructions', async () => {
    const { result, card, frame } = await startSampling('sample', { kind: 'hidden' });
    const warnings = card.locator('[data-role="warnings"]');
    await warnings.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await warnings.innerText();
    assert.match(text, /U\+202E RIGHT-TO-LEFT OVERRIDE/);
    assert.match(text, /U\+200B ZERO WIDTH SPACE/);
    await card.locator('[data-action="reject"]').click();
    assert.equal((await result).isError, true);
    await assertInert(frame);
  });

  it('renders 1 MB of text and stays responsive: Reject still works', async () => {
    const { result, card } = await startSampling('sample', { kind: 'large-text', bytes: 1_000_000 });
    await card.waitFor({ timeout: 30_000 });
    const field = card.locator('[data-action="edit-message-0"]');
    if ((await field.count()) > 0) assert.match(await field.inputValue(), /large text end$/);
    else assert.match(await card.innerText(), /large text start/);
    // Bounded: a hung panel fails here instead of hanging the suite.
    await card.locator('[data-action="reject"]').click({ timeout: 15_000 });
    const final = await result;
    assert.equal(final.isError, true);
    await waitUntil('the card to close', 15_000, async () => (await card.getAttribute('data-state')) === 'closed');
  });

  it('does not render an SVG image (it could carry script)', async () => {
    const { result, card, frame } = await startSampling('sample', { kind: 'svg-image' });
    assert.equal(await card.locator('img').count(), 0, 'no image element for the SVG');
    assert.match(await card.innerText(), /Image not shown: image\/svg\+xml/, 'the block is described instead');
    await assertInert(frame);
    await card.locator('[data-action="reject"]').click();
    assert.equal((await result).isError, true);
  });
});
