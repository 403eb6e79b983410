/**
 * The gateway in the real workbench, as an agent uses it: VS Code's own MCP client starts the
 * gateway this extension provides, finds server-everything's `trigger-sampling-request` among
 * `vscode.lm.tools` and invokes it. The browser answers VS Code's own confirmation if it asks, then
 * approves (or rejects) the sampling request in this extension's panel, whose card names the caller.
 */
import { waitFor } from '../support/waitFor';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startSession, type Session } from '../harness/session';
import { rejectRequest } from '../harness/panel';
import { repoRoot } from '../harness/paths';
import { everythingServerPath } from '../fixtures/fixtureServers';

const shots = path.join(repoRoot, 'test-results');

type Part = { text?: string; kind?: string };
const textOf = (parts: Part[]) => parts.map((p) => p.text ?? '').join('\n');

describe('the gateway in the real workbench: VS Code’s own MCP client calls a tool, the panel answers its sampling', () => {
  let session: Session;
  let toolName = '';

  before(async () => {
    session = await startSession({
      theme: 'Default Dark Modern',
      settings: {
        // VS Code's MCP client and language-model tools are AI features.
        'chat.disableAIFeatures': false,
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { everything: { type: 'stdio', command: 'node', args: [everythingServerPath(), 'stdio'] } },
      },
    });
    await waitFor('everything connected', async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'everything' && s.status === 'connected');
    }, { timeoutMs: 60_000, intervalMs: 500 });
    // VS Code starts the servers of extension providers on demand; the helper asks it to, as a chat request would.
    await waitFor('the gateway’s tools in vscode.lm.tools', async () => {
      const names = await session.command<string[]>('mcpSamplingTest.startMcpServers', 20_000);
      toolName = names.find((n) => n.endsWith('trigger-sampling-request')) ?? '';
      if (!toolName) console.log(`lm tools so far: ${names.join(', ')}`);
      return toolName !== '';
    }, { timeoutMs: 90_000, intervalMs: 500 });
  });

  after(async () => {
    await session?.stop();
  });

  /** Invokes the tool through vscode.lm.invokeTool; answers VS Code's "Run …?" dialog if it shows; returns the card. */
  function invoke(prompt: string): Promise<{ result: Promise<Part[]>; id: string; frame: Frame; confirmed: boolean }> {
    return untilCard(() => session.command<Part[]>('mcpSamplingTest.invokeTool', toolName, { prompt, maxTokens: 100 }));
  }

  /** Starts a call, answers VS Code's "Run …?" dialog if it shows, and returns the new card in the panel. */
  async function untilCard<T>(start: () => Promise<T>): Promise<{ result: Promise<T>; id: string; frame: Frame; confirmed: boolean }> {
    const before = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    const result = start();
    result.catch(() => undefined);
    let id = '';
    let confirmed = false;
    await waitFor('the sampling request in the panel', async () => {
      const dialog = session.page.locator('.monaco-dialog-box');
      if (!confirmed && (await dialog.count()) > 0) {
        console.log(`VS Code asked: ${(await dialog.innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
        // VS Code's confirmation for a tool without readOnlyHint: "Run <tool>?" with Cancel and Yes.
        await dialog.locator('.monaco-button', { hasText: /^(Yes|Continue|Allow|Run)$/ }).first().click();
        confirmed = true;
      }
      const pending = await session.command<{ id: string; serverName: string }[]>('mcpSamplingTest.pendingRequests');
      id = pending.find((r) => r.serverName === 'everything' && !before.has(r.id))?.id ?? '';
      return id !== '';
    }, { timeoutMs: 60_000, intervalMs: 500 });
    const frame = await session.findInFrames(`[data-request-id="${id}"]`, 30_000);
    return { result, id, frame, confirmed };
  }

  it('finds the tool under a name that holds the server’s own tool name', async () => {
    const tools = await session.command<{ name: string; description: string }[]>('mcpSamplingTest.lmTools');
    const tool = tools.find((t) => t.name === toolName)!;
    console.log(`VS Code names the tool ${tool.name}`);
    assert.match(tool.name, /everything__trigger-sampling-request$/);
    assert.ok(tool.description.length > 0, 'the description is passed through');
  });

  it('a tool called through vscode.lm.invokeTool reaches the panel, naming the caller, and returns the approved answer', async () => {
    const { result, id, frame } = await invoke('hello from the agent');
    const card = frame.locator(`[data-request-id="${id}"]`);
    assert.equal(await card.getAttribute('data-server'), 'everything');
    assert.equal(await card.locator('[data-role="caller"]').innerText(), 'Called by VS Code agent via the gateway');
    await card.scrollIntoViewIfNeeded();
    await session.screenshot(path.join(shots, 'gateway-request.png'));
    await card.locator('[data-action="approve"]').click();
    const text = textOf(await result);
    assert.match(text, /Echo: .*hello from the agent/s, text);
  });

  it('another MCP client connects with the configuration "Connect Another Client…" copies; its card names it', async () => {
    // The extension host's clipboard is the browser's here.
    await session.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.page.url()).origin });
    const command = session.command('mcpSampling.gateway.connectClient');
    command.catch(() => undefined);
    const input = session.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('Claude Code');
    await session.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Claude Code' }).first().waitFor({ timeout: 10_000 });
    await session.page.keyboard.press('Enter');
    assert.equal(await Promise.race([command, new Promise((r) => setTimeout(() => r('the command did not finish in 30 s'), 30_000))]), 'Claude Code');
    const copied = await session.command<string>('mcpSamplingTest.readClipboard');
    const match = /^claude mcp add --transport http mcp-sampling (http:\/\/127\.0\.0\.1:\d+\/mcp) --header "Authorization: Bearer ([A-Za-z0-9_-]{43})"$/.exec(copied);
    assert.ok(match, copied.replace(/Bearer \S+/, 'Bearer <token>'));
    const [, url, token] = match;

    const refused = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(refused.status, 401, 'no token, no gateway');

    const client = new Client({ name: 'Claude Code', version: '2.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(url!), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'everything__trigger-sampling-request'));
      const { result, id, frame } = await untilCard(() => client.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hello from another client', maxTokens: 50 } }));
      const card = frame.locator(`[data-request-id="${id}"]`);
      assert.equal(await card.locator('[data-role="caller"]').innerText(), 'Called by "Claude Code" via the gateway');

      // The Servers view shows the gateway with its callers and the call waiting in the panel.
      await session.command('mcpSampling.servers.focus');
      const line = session.page.locator('.monaco-list-row', { hasText: 'Gateway' }).first();
      await line.waitFor({ timeout: 15_000 });
      await waitFor('the gateway line to show the call in flight', async () => /127\.0\.0\.1:\d+ · \d+ callers? · 1 call in flight/.test(await line.innerText()), { timeoutMs: 15_000, intervalMs: 500 });
      await session.screenshot(path.join(shots, 'gateway-servers-view.png'));

      await card.locator('[data-action="approve"]').click();
      const answered = (await result) as { content: { text?: string }[] };
      assert.match(answered.content.map((c) => c.text ?? '').join('\n'), /Echo: .*hello from another client/s);
    } finally {
      await client.close();
    }

    // Rotating the token shuts the old one out.
    const rotating = session.command('mcpSampling.gateway.rotateToken');
    rotating.catch(() => undefined);
    const confirm = session.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Rotate Token' });
    await confirm.waitFor({ timeout: 15_000 });
    await confirm.click();
    await rotating;
    const stale = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    assert.equal(stale.status, 401, 'the old token no longer works');
  });

  it('a request rejected in the panel comes back to the caller as the server’s error', async () => {
    const { result, id, frame } = await invoke('please reject me');
    await rejectRequest(frame.locator(`[data-request-id="${id}"]`));
    const outcome = await result.then(
      (parts) => textOf(parts),
      (error: Error) => error.message,
    );
    assert.match(outcome, /reject|-1|error/i, outcome);
    assert.doesNotMatch(outcome, /Echo:/);
  });
});
