/**
 * Elicitation in the real workbench: server-everything's trigger-elicitation-request asks for a form
 * and trigger-url-elicitation for a browser visit; the browser answers through the panel's elicitation
 * hooks ([data-elicitation-id], [data-field], elicit-* actions) while the tool call runs in the host.
 * server-everything registers these tools only for a client that declares the `elicitation`
 * capability, which the extension does (createElicitationHandler(panel) on each connection).
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';
import { everythingServerPath } from '../fixtures/fixtureServers';

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}
const textOf = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');
const shots = path.join(repoRoot, 'test-results');

describe('elicitation cards in the real workbench', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      settings: {
        'mcpSampling.approval': 'ask',
        'mcpSampling.servers': { everything: { type: 'stdio', command: 'node', args: [everythingServerPath(), 'stdio'] } },
      },
    });
    await waitFor('everything connected', async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'everything' && s.status === 'connected');
    }, { timeoutMs: 60_000, intervalMs: 200 });
  });

  after(async () => {
    await session?.stop();
  });


  /** Calls the tool and returns its pending result and the new open elicitation card. */
  async function startElicitation(tool: string, args: Record<string, unknown> = {}) {
    const result = session.command<ToolResult>('mcpSampling.callTool', 'everything', tool, args);
    result.catch(() => undefined);
    const selector = '[data-elicitation-id][data-server="everything"][data-state="pending"]';
    const frame: Frame = await session.findInFrames(selector, 30_000);
    // Pin the card by its id: its data-state changes once it is answered.
    const id = await frame.locator(selector).last().getAttribute('data-elicitation-id');
    assert.ok(id, 'the card has an id');
    const card = frame.locator(`[data-elicitation-id="${id}"]`);
    return { result, card, frame };
  }

  it('fills the form, submits, and the tool gets the values', async () => {
    const { result, card } = await startElicitation('trigger-elicitation-request');
    assert.equal(await card.getAttribute('data-mode'), 'form');
    // Defaults are prefilled.
    assert.equal(await card.locator('[data-field="integer"]').inputValue(), '42');
    assert.equal(await card.locator('[data-field="firstLine"]').inputValue(), 'It was a dark and stormy night.');
    await card.locator('[data-field="name"]').fill('Ada Lovelace');
    await card.locator('[data-field="check"]').check();
    // Out of range: inline error, Submit disabled until fixed.
    await card.locator('[data-field="integer"]').fill('500');
    await card.locator('[data-role="elicit-errors"]').getByText('integer: must be at most 100').waitFor({ timeout: 10_000 });
    await card.locator('[data-field="integer"]').fill('7');
    await session.screenshot(path.join(shots, 'elicitation-form.png'));
    await card.locator('[data-action="elicit-accept"]').click();
    const text = textOf(await result);
    assert.match(text, /User provided the requested information/);
    assert.match(text, /- Name: Ada Lovelace/);
    assert.match(text, /- Agreed to terms: true/);
    assert.match(text, /- Favorite Integer: 7/);
    await card.locator('[data-role="elicit-closed"]').waitFor({ timeout: 10_000 });
  });

  it('decline sends no values', async () => {
    const { result, card } = await startElicitation('trigger-elicitation-request');
    await card.locator('[data-field="name"]').fill('not sent');
    await card.locator('[data-action="elicit-decline"]').click();
    const text = textOf(await result);
    assert.match(text, /User declined to provide the requested information/);
    assert.doesNotMatch(text, /not sent/);
  });

  it('a URL elicitation shows the host and never opens without consent', async () => {
    const { result, card } = await startElicitation('trigger-url-elicitation', { url: 'https://example.com/consent?step=1', message: 'Please sign in' });
    assert.equal(await card.getAttribute('data-mode'), 'url');
    assert.equal(await card.locator('[data-role="elicit-host"]').textContent(), 'example.com');
    assert.equal(await card.locator('[data-role="elicit-url"]').textContent(), 'https://example.com/consent?step=1');
    await session.screenshot(path.join(shots, 'elicitation-url.png'));
    await card.locator('[data-action="elicit-cancel"]').click();
    assert.match(textOf(await result), /User cancelled the URL elicitation/);
  });
});
