/**
 * The Servers view as a screen reader reads it, in the real workbench: each row's accessible name
 * (the row's aria-label) contains the text the row shows, so voice control finds it by what the user
 * sees. A prompt with a description was read as that description alone (VS Code's default for a
 * string tooltip), without its name.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSession, type Session } from '../harness/session';
import { everythingServerPath } from '../fixtures/fixtureServers';

describe('the Servers view: each row is read out with the text it shows', () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      settings: { 'mcpSampling.servers': { everything: { type: 'stdio', command: 'node', args: [everythingServerPath(), 'stdio'] } } },
    });
    await waitFor('everything connected', async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'everything' && s.status === 'connected');
    }, { timeoutMs: 60_000, intervalMs: 500 });
  });

  after(async () => {
    await session?.stop();
  });

  const view = () => session.page.locator('.pane', { has: session.page.locator('.pane-header', { hasText: 'Servers' }) }).first();
  const row = (text: string) => view().locator('.monaco-list-row', { hasText: text }).first();

  /** The row's visible text (its label and description, as the tree renders them) and its accessible name. */
  async function readRow(text: string): Promise<{ visible: string; name: string }> {
    const line = row(text);
    await line.waitFor({ timeout: 20_000 });
    const parts = await line.locator('.label-name, .label-description').allInnerTexts();
    return { visible: parts.map((p) => p.trim()).filter(Boolean).join(' '), name: (await line.getAttribute('aria-label')) ?? '' };
  }

  const words = (text: string) => text.split(/\s+/).filter(Boolean);

  it('the server, its groups and a described prompt each have an accessible name containing their visible text', async () => {
    await session.command('mcpSampling.servers.focus');
    const server = await readRow('everything');
    assert.match(server.visible, /everything.*connected/);
    for (const word of words(server.visible)) assert.ok(server.name.includes(word), `"${word}" of the server row is in its name "${server.name}"`);

    await row('everything').click();
    const prompts = await readRow('Prompts (');
    assert.ok(prompts.name.includes(prompts.visible), `the group's name "${prompts.name}" contains "${prompts.visible}"`);

    await row('Prompts (').click();
    const prompt = await readRow('args-prompt');
    assert.ok(prompt.name.includes('args-prompt'), `the prompt's name "${prompt.name}" contains its label`);
    for (const word of words(prompt.visible)) assert.ok(prompt.name.includes(word), `"${word}" of the prompt row is in its name "${prompt.name}"`);
  });
});
