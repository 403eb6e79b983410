/**
 * The gateway in the real workbench, as an agent uses it: VS Code's own MCP client starts the
 * gateway this extension provides, finds server-everything's `trigger-sampling-request` among
 * `vscode.lm.tools` and invokes it. The browser answers VS Code's own confirmation if it asks, then
 * approves (or rejects) the sampling request in this extension's panel, whose card names the caller.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { startSession, type Session } from '../harness/session';
import { repoRoot } from '../harness/paths';

const shots = path.join(repoRoot, 'test-results');

function everythingServerPath(): string {
  const dir = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0]!;
  return path.join(dir, bin);
}

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
    await waitUntil('everything connected', 60_000, async () => {
      const servers = await session.command<{ name: string; status: string }[]>('mcpSamplingTest.listServers');
      return servers.some((s) => s.name === 'everything' && s.status === 'connected');
    });
    // VS Code starts the servers of extension providers on demand; the helper asks it to, as a chat request would.
    await waitUntil('the gateway’s tools in vscode.lm.tools', 90_000, async () => {
      const names = await session.command<string[]>('mcpSamplingTest.startMcpServers', 20_000);
      toolName = names.find((n) => n.endsWith('trigger-sampling-request')) ?? '';
      if (!toolName) console.log(`lm tools so far: ${names.join(', ')}`);
      return toolName !== '';
    });
  });

  after(async () => {
    await session?.stop();
  });

  async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Invokes the tool through vscode.lm.invokeTool; answers VS Code's "Run …?" dialog if it shows; returns the card. */
  async function invoke(prompt: string): Promise<{ result: Promise<Part[]>; id: string; frame: Frame; confirmed: boolean }> {
    const before = new Set((await session.command<{ id: string }[]>('mcpSamplingTest.pendingRequests')).map((r) => r.id));
    const result = session.command<Part[]>('mcpSamplingTest.invokeTool', toolName, { prompt, maxTokens: 100 });
    result.catch(() => undefined);
    let id = '';
    let confirmed = false;
    await waitUntil('the sampling request in the panel', 60_000, async () => {
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
    });
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

  it('a request rejected in the panel comes back to the caller as the server’s error', async () => {
    const { result, id, frame } = await invoke('please reject me');
    await frame.locator(`[data-request-id="${id}"]`).locator('[data-action="reject"]').click();
    const outcome = await result.then(
      (parts) => textOf(parts),
      (error: Error) => error.message,
    );
    assert.match(outcome, /reject|-1|error/i, outcome);
    assert.doesNotMatch(outcome, /Echo:/);
  });
});
