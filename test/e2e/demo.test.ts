/**
 * `npm run demo` in a fresh browser: the workbench opens on the MCP Sampling view (its Servers view
 * lists the demo server) and the Getting Started walkthrough, not on an empty Explorer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { prepareDemoProfile } from '../harness/demoProfile';
import { launchBrowser, openWorkbench, startCodeServer, type RunningCodeServer } from '../harness/session';
import { repoRoot } from '../harness/paths';

describe('npm run demo', () => {
  let server: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startCodeServer(prepareDemoProfile());
    browser = await launchBrowser();
    page = await openWorkbench(browser, server.url);
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  });

  it('opens the MCP Sampling view and the walkthrough', async () => {
    await page.locator('.gettingStartedContainer').getByText('Get Started with MCP Sampling').first().waitFor({ timeout: 60_000 });
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.title-label', { hasText: 'MCP Sampling' }).first().waitFor({ timeout: 30_000 });
    await sidebar.locator('.monaco-list-row', { hasText: 'demo' }).first().waitFor({ timeout: 60_000 });
    assert.equal(await sidebar.locator('.title-label', { hasText: 'Explorer' }).count(), 0, 'not the Explorer');
    mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(repoRoot, 'test-results', 'demo.png') });
  });
});
