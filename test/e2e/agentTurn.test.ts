/**
 * A real agent turn in the real workbench: code-server's built-in Copilot Chat runs Agent mode
 * without an account (`chat.allowAnonymousAccess`) with the helper's deterministic `test-agent`
 * model (test/helper-extension/agentModel.ts). The browser picks that model in the Chat view, types a
 * prompt and presses Enter; the agent offers the model every tool, the model calls the gateway's tool
 * for server-everything's `trigger-sampling-request`, the browser allows it in VS Code's chat
 * confirmation, the sampling request shows in this extension's panel naming VS Code's agent, the
 * browser approves (or rejects) it, `test-echo` (pinned for the server) answers it, and the agent's
 * final answer in the chat quotes the tool result.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { rejectRequest } from '../harness/panel';
import { repoRoot } from '../harness/paths';
import { waitFor } from '../support/waitFor';

const shots = path.join(repoRoot, 'test-results');

function everythingServerPath(): string {
  const dir = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!;
  return path.join(dir, bin);
}

/** What the agent model was offered and answered, as agentModel.ts records it. */
interface TranscriptEntry {
  offeredTools: string[];
  answer: { toolCall?: { name: string; input: { prompt: string } }; text?: string };
  toolResult?: string;
}

const CALLER = 'Called by VS Code agent via the gateway';

describe('a real agent turn in the Chat view: Copilot Chat’s agent calls a gateway tool, the panel answers its sampling', () => {
  let session: Session;
  const browserConsole: string[] = [];

  before(async () => {
    session = await startSession({
      theme: 'Default Dark Modern',
      settings: {
        'chat.disableAIFeatures': false,
        // code-server's built-in Copilot Chat runs Agent mode without a GitHub account.
        'chat.allowAnonymousAccess': true,
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        // The sampling is answered by the echo model, never by the agent's own model.
        'mcpSampling.serverSampling': { everything: { model: 'test-echo' } },
        'mcpSampling.servers': { everything: { type: 'stdio', command: 'node', args: [everythingServerPath(), 'stdio'] } },
      },
    });
    await waitFor('server-everything connected', async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'everything' && s.status === 'connected');
    }, { timeoutMs: 60_000, intervalMs: 250 });
    // The workbench's and the webviews' console, kept for a failed step's notes.
    session.page.on('console', (m) => browserConsole.push(`${m.type()} ${m.location().url.slice(0, 100)}: ${m.text().slice(0, 500)}`));
    const models = await session.command<string[]>('mcpSamplingTest.registerAgentModel');
    assert.ok(models.includes('test-agent') && models.includes('test-echo'), `the editor's models: ${models.join(', ')}`);
  });

  after(async () => {
    await session?.stop();
  });

  const page = () => session.page;
  const inputPart = () => page().locator('.interactive-input-part').first();
  // Code blocks in the chat render spaces as no-break spaces.
  const lastResponseText = async () => (await page().locator('.interactive-response').last().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
  const transcript = () => session.command<TranscriptEntry[]>('mcpSamplingTest.agentTranscript');

  /**
   * What a failed step leaves beside its screenshot: the page's frames, the workbench's webview
   * elements (a webview the workbench never laid out or loaded shows as a blank panel) and the console.
   */
  async function keepNotes(name: string): Promise<void> {
    const frames = page().frames().map((f) => `frame ${f.name() || '-'} ${f.url().slice(0, 160)}`);
    // The test bundle has no DOM types: the elements are read through the little they are used for.
    type El = { tagName: string; className: string; style: { visibility: string; display: string }; parentElement: { className: string } | null; getBoundingClientRect(): { x: number; y: number; width: number; height: number } };
    const webviews = await page().locator('.webview').evaluateAll((els) =>
      els.map((e) => {
        const el = e as unknown as El;
        const r = el.getBoundingClientRect();
        return `${el.tagName.toLowerCase()}.${el.className} visibility=${el.style.visibility || '-'} display=${el.style.display || '-'} rect=${Math.round(r.x)},${Math.round(r.y)} ${Math.round(r.width)}x${Math.round(r.height)} in ${el.parentElement?.className ?? '-'}`;
      }),
    );
    mkdirSync(shots, { recursive: true });
    writeFileSync(path.join(shots, `agent-turn-failed-${name}.txt`), [...frames, ...webviews, '--- console', ...browserConsole].join('\n') + '\n');
  }

  /** Runs a step; on failure keeps a screenshot of the workbench and its notes, and says which step failed. */
  async function step<T>(name: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      const file = path.join(shots, `agent-turn-failed-${name}.png`);
      await session.screenshot(file).catch(() => undefined);
      await keepNotes(name).catch(() => undefined);
      throw new Error(`step "${name}" failed (screenshot: ${file}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** Opens the Chat view from the command palette, checks it is in Agent mode and picks Test Agent in its model picker. */
  async function openChatWithTestAgent(): Promise<void> {
    await page().locator('.monaco-workbench .part.editor').click();
    await session.runFromPalette('Chat: Open Chat');
    await inputPart().locator('.monaco-editor').first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal((await inputPart().locator('.chat-mode-picker-item').innerText()).trim(), 'Agent', 'the Chat view starts in Agent mode');
    // The picker lists extension models once their provider answered; search until Test Agent is offered.
    // The picker's list is built when it opens: reopen it until Test Agent is offered. A click can
    // land while the list is rebuilt (the models arriving) and leave the old choice: the picker's
    // label is checked after each pick, and the pick tried again until it shows Test Agent.
    const picked = async () => (await inputPart().locator('.model-picker-item').innerText()).trim() === 'Test Agent';
    await waitFor('the model picker to show Test Agent', async () => {
      if (await picked()) return true;
      const search = page().locator('.action-widget .action-list-filter-input');
      if ((await search.count()) > 0) await page().keyboard.press('Escape');
      await inputPart().locator('.model-picker-item').click();
      await search.fill('Test Agent');
      const row = page().locator('.action-widget .monaco-list-row', { hasText: 'Test Agent' });
      if ((await row.count()) === 0) return false;
      await row.first().click();
      return waitFor('the pick to show', picked, { timeoutMs: 2_000 }).catch(() => false);
    }, { timeoutMs: 40_000, intervalMs: 500 });
  }

  /** A picture for the README; Copilot's "Set BYOK utility models" notice would cover the chat. */
  async function picture(name: string): Promise<void> {
    const dismiss = page().locator('.part.auxiliarybar [aria-label="Dismiss notification"]');
    if ((await dismiss.count()) > 0) await dismiss.first().click().catch(() => undefined);
    await session.screenshot(path.join(shots, name));
  }

  async function send(prompt: string): Promise<void> {
    await inputPart().locator('.monaco-editor').first().click();
    await page().keyboard.type(prompt);
    await page().keyboard.press('Enter');
  }

  /**
   * Waits until `done` answers, allowing each of VS Code's chat confirmations on the way (run the
   * tool; accept its result). Returns the value and the labels of the buttons clicked.
   */
  async function allowConfirmationsUntil<T>(what: string, done: () => Promise<T | undefined>, timeoutMs: number): Promise<{ value: T; allowed: string[] }> {
    const allowed: string[] = [];
    const value = await waitFor(what, async () => {
      const found = await done();
      if (found !== undefined) return found;
      const allow = page().locator('.chat-confirmation-widget-buttons .monaco-text-button:not(.secondary)');
      if ((await allow.count()) > 0) {
        const label = (await allow.first().innerText()).trim();
        console.log(`VS Code asks in the chat; clicking "${label}"`);
        await allow.first().click();
        allowed.push(label);
      }
      return undefined;
    }, { timeoutMs, intervalMs: 300 });
    return { value, allowed };
  }

  /** The new card for server-everything in the panel, once the agent's tool call got there. */
  async function cardFromTheAgent(seen: Set<string>): Promise<{ card: Locator; allowed: string[] }> {
    const { value: id, allowed } = await allowConfirmationsUntil('the agent’s sampling request in the panel', async () => {
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      return pending.find((r) => r.serverName === 'everything' && !seen.has(r.id))?.id;
    }, 90_000);
    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    return { card: frame.locator(`[data-request-id="${id}"]`), allowed };
  }

  /** The text of a card's editable fields (the request's messages are textareas). */
  const fieldsOf = (card: Locator) => card.locator('textarea').evaluateAll((fields) => fields.map((f) => (f as unknown as { value: string }).value).join('\n'));

  const pendingIds = async () => new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));

  it('approved: the agent calls the tool, the card names VS Code’s agent, the chat shows the sampled answer', async () => {
    await step('open-chat', openChatWithTestAgent);
    const seen = await pendingIds();
    await step('send', () => send('Call the sampling tool with the prompt "a haiku about gateways"'));
    const { card, allowed } = await step('card', () => cardFromTheAgent(seen));
    assert.ok(allowed.length > 0, 'VS Code asked before running the gateway tool (it has no readOnlyHint)');
    assert.equal(await card.getAttribute('data-server'), 'everything');
    assert.equal(await card.locator('[data-role="caller"]').innerText(), CALLER);
    assert.match(await fieldsOf(card), /context: a haiku about gateways/, 'the card shows what the server asks');
    await waitFor('the chat to show the tool running', async () => /Running Trigger Sampling Request Tool/.test(await lastResponseText()), { timeoutMs: 15_000, intervalMs: 250 });
    await picture('agent-turn-request.png');
    await card.locator('[data-action="approve"]').click();

    const { value: answer } = await step('answer', () =>
      allowConfirmationsUntil('the agent’s answer quoting the tool result in the chat', async () => {
        const text = await lastResponseText();
        return /The gateway tool answered/.test(text) ? text : undefined;
      }, 90_000),
    );
    assert.match(answer, /"model": "test-echo"/, answer);
    assert.match(answer, /Echo: .*context: a haiku about gateways/s, answer);
    await picture('agent-turn-answer.png');

    const entries = await transcript();
    const call = entries.find((e) => e.answer.toolCall);
    assert.ok(call, `the agent model never called a tool: ${JSON.stringify(entries).slice(0, 2000)}`);
    assert.match(call.answer.toolCall!.name, /everything__trigger-sampling-request$/);
    assert.equal(call.answer.toolCall!.input.prompt, 'a haiku about gateways');
    const result = entries.find((e) => e.toolResult !== undefined);
    assert.ok(result, 'the agent gave its model the tool result');
    assert.match(result.toolResult!, /Echo: .*context: a haiku about gateways/s, 'the server got the sampled answer and returned it to the agent');
  });

  it('rejected in the panel: the agent receives the tool’s error and no sampled answer', async () => {
    // A new conversation, so the only prompt the agent model sees is this one.
    await page().locator('.part.auxiliarybar .action-label[aria-label^="New Chat"]').first().click();
    await waitFor('an empty conversation', async () => (await page().locator('.interactive-response').count()) === 0, { timeoutMs: 10_000 });
    const seen = await pendingIds();
    const earlier = (await transcript()).length;
    await step('send-rejected', () => send('Call the sampling tool with the prompt "please reject me"'));
    const { card } = await step('card-rejected', () => cardFromTheAgent(seen));
    assert.equal(await card.locator('[data-role="caller"]').innerText(), CALLER);
    assert.match(await fieldsOf(card), /context: please reject me/);
    await rejectRequest(card, 'not from the agent');

    const { value: result } = await step('tool-error', () =>
      allowConfirmationsUntil('the agent model to receive the rejected tool’s result', async () => (await transcript()).slice(earlier).find((e) => e.toolResult !== undefined)?.toolResult, 90_000),
    );
    assert.match(result, /rejected the sampling request/, result);
    assert.doesNotMatch(result, /Echo:/);
    const shown = await step('error-shown', () =>
      waitFor('the agent’s answer quoting the error in the chat', async () => {
        const text = await lastResponseText();
        return /The gateway tool answered/.test(text) ? text : undefined;
      }, { timeoutMs: 30_000, intervalMs: 250 }),
    );
    assert.match(shown, /rejected the sampling request/, shown);
    assert.doesNotMatch(shown, /Echo:/);
  });
});
