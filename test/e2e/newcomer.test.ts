/**
 * A newcomer's first minutes in a fresh editor: open the Getting Started walkthrough, add the bundled
 * demo server with the step's button, run the demo, answer its sampling request in the approval panel
 * by hand (the `manual` provider), and find the request in the Sampling History view. The screenshots
 * (walkthrough, servers view, history) are the README's pictures.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';

const shots = path.join(repoRoot, 'test-results');

describe('a newcomer in a fresh editor', () => {
  let session: Session;

  before(async () => {
    session = await startSession({ theme: 'Default Dark Modern', settings: { 'mcpSampling.defaultProvider': 'manual' } });
  });

  after(async () => {
    await session?.stop();
  });


  const walkthrough = () => session.page.locator('.gettingStartedContainer');
  /** Expands a walkthrough step by its title and returns the step. */
  async function openStep(title: string): Promise<Locator> {
    const step = walkthrough().locator('.getting-started-step', { hasText: title }).first();
    await step.locator('.step-title', { hasText: title }).first().click();
    await waitFor(`the step "${title}" to expand`, async () => (await step.getAttribute('aria-expanded')) === 'true' || /expanded/.test((await step.getAttribute('class')) ?? ''), { timeoutMs: 10_000, intervalMs: 200 });
    return step;
  }

  /** Waits for a step's checkbox to be ticked by its completion events. */
  async function stepDone(stepId: string): Promise<void> {
    await walkthrough().locator(`[data-done-step-id$="${stepId}"][aria-checked="true"]`).first().waitFor({ timeout: 20_000 });
  }

  it('opens the walkthrough from the command palette', async () => {
    await session.runFromPalette('MCP Sampling: Get Started');
    await walkthrough().getByText('Get Started with MCP Sampling').first().waitFor({ timeout: 30_000 });
    for (const title of ['Add an MCP server', 'Choose who answers', 'Approve your first request', 'See the history']) {
      await walkthrough().getByText(title, { exact: true }).first().waitFor({ timeout: 10_000 });
    }
    // The first step's Markdown media is shown beside it.
    await session.findInFrames('text=Start with the demo server.', 20_000).catch(() => walkthrough().getByText('Start with the demo server').first().waitFor({ timeout: 10_000 }));
    await session.screenshot(path.join(shots, 'walkthrough.png'));
  });

  it('adds the demo server with the step\'s button, and it connects', async () => {
    const step = await openStep('Add an MCP server');
    await step.getByRole('button', { name: 'Add the Demo Server' }).click();
    await waitFor('the demo server to connect', async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'demo' && s.status === 'connected');
    }, { timeoutMs: 60_000, intervalMs: 200 });
    // The command reveals the Servers view, where the demo server shows as connected.
    const serversView = session.page.locator('.pane', { has: session.page.locator('.pane-header', { hasText: 'Servers' }) }).first();
    await serversView.locator('.monaco-list-row', { hasText: 'demo' }).first().waitFor({ timeout: 20_000 });
    await stepDone('addServer');
    await session.screenshot(path.join(shots, 'servers-view.png'));
  });

  it('runs the demo and answers its sampling request by hand in the approval panel', async () => {
    const step = await openStep('Approve your first request');
    await step.getByRole('button', { name: 'Run the Demo' }).click();
    let id = '';
    await waitFor('the demo\'s sampling request', async () => {
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      id = pending.find((r) => r.serverName === 'demo')?.id ?? '';
      return id !== '';
    }, { timeoutMs: 30_000, intervalMs: 200 });
    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    const card = frame.locator(`[data-request-id="${id}"]`);
    assert.equal(await card.getAttribute('data-server'), 'demo');
    await card.locator('[data-action="approve"]').click();

    const reply = card.locator('[data-action="manual-reply"]');
    await reply.waitFor({ timeout: 30_000 });
    await reply.fill('MCP lets servers ask their client for completions; this extension shows each request for approval first.');
    await card.locator('[data-action="send-manual-reply"]').click();

    // With response review on (the default), the typed answer comes back for a last look.
    const approveResponse = card.locator('[data-action="approve-response"]');
    await waitFor('the review step or the end of the request', async () => (await approveResponse.count()) > 0 || (await card.getAttribute('data-state')) === 'closed', { timeoutMs: 30_000, intervalMs: 200 });
    if ((await approveResponse.count()) > 0) await approveResponse.click();
    await waitFor('the request to be answered', async () => (await session.command<unknown[]>('mcpSamplingTest.pendingRequests')).length === 0, { timeoutMs: 30_000, intervalMs: 200 });
    await stepDone('runDemo');
  });

  it('shows the request in the Sampling History view', async () => {
    const step = await openStep('See the history');
    // Not ticked before: the view merely being visible does not count as having looked at the history.
    assert.equal(await walkthrough().locator('[data-done-step-id$="seeHistory"][aria-checked="true"]').count(), 0);
    await step.getByRole('button', { name: 'Show the History' }).click();
    await stepDone('seeHistory');
    const historyView = session.page.locator('.pane', { has: session.page.locator('.pane-header', { hasText: 'Sampling History' }) }).first();
    // The demo server speaks 2025-11-25 over stdio: its request is attributed to the tool that was running.
    const row = historyView.locator('.monaco-list-row', { hasText: 'demo (while summarize was running)' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, /approved/);
    assert.match(text, /manual/);
    await historyView.locator('.monaco-list-row', { hasText: 'Usage by server' }).first().waitFor({ timeout: 10_000 });
    await historyView.locator('.monaco-list-row', { hasText: /^demo/ }).first().waitFor({ timeout: 10_000 });

    // Opening the entry shows the request and the typed answer.
    await row.click();
    await session.page.locator('.monaco-editor .view-lines', { hasText: 'Sampling request from demo' }).first().waitFor({ timeout: 20_000 });
    // A tidy picture: the request document alone, without the panel beside it or notifications.
    await session.command('workbench.action.closeEditorsInOtherGroups');
    await session.command('notifications.clearAll');
    await session.screenshot(path.join(shots, 'history.png'));
  });
});
