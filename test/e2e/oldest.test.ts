/**
 * The smoke suite on the oldest VS Code that `engines.vscode` claims (code-server 4.106.3 = VS Code
 * 1.106.3): the VSIX installs, the extension activates, a server connects, a sampling request is
 * approved in the panel and answered, and the gateway registers with VS Code's own MCP client. An
 * API newer than the floor that the extension used unguarded would fail here, not for users.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { startSession, type Session } from '../harness/session';
import { callToolAndFindCard, textOf, waitForConnected } from '../harness/panel';
import { OLDEST_CODE_SERVER_VERSION, repoRoot } from '../harness/paths';
import { waitFor } from '../support/waitFor';

const fixtureServer = (name: string) => ({ type: 'stdio', command: 'node', args: [path.join(repoRoot, 'out/test/fixtures/samplingServer.js'), '--name', name] });
// VS Code 1.106 starts one server per call, by `<extension id>/<definition label>`.
const GATEWAY_DEFINITION_ID = 'mcp-sampling.mcp-sampling-client/MCP Sampling Gateway';
const engines = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { vscode: string } }).engines.vscode;

describe(`the oldest VS Code it claims (${engines}): code-server ${OLDEST_CODE_SERVER_VERSION}`, () => {
  let session: Session;

  before(async () => {
    session = await startSession({
      codeServerVersion: OLDEST_CODE_SERVER_VERSION,
      settings: {
        // VS Code's MCP client (which starts the gateway) is an AI feature.
        'chat.disableAIFeatures': false,
        'mcpSampling.approval': 'ask',
        'mcpSampling.reviewResponses': false,
        'mcpSampling.defaultProvider': 'vscode-lm',
        'mcpSampling.servers': { alpha: fixtureServer('alpha') },
      },
    });
  });

  after(async () => {
    await session?.stop();
  });

  it('runs the VS Code release that engines.vscode names as the floor', async () => {
    const version = await session.command<string>('mcpSamplingTest.vscodeVersion');
    assert.equal(version, OLDEST_CODE_SERVER_VERSION.replace(/^4\./, '1.'));
    assert.equal(engines.replace(/^\^/, '').split('.').slice(0, 2).join('.'), version.split('.').slice(0, 2).join('.'), 'the floor this suite runs is the one package.json claims');
  });

  it('activates from the VSIX and connects a server', async () => {
    await waitForConnected(session, ['alpha']);
  });

  it('a sampling request is approved in the panel and answered by the editor’s language model', async () => {
    const { result, card } = await callToolAndFindCard(session, 'alpha', 'sample', { prompt: 'hello oldest' });
    assert.equal(await card.getAttribute('data-state'), 'pending');
    await card.locator('[data-action="approve"]').click();
    const answered = await result;
    assert.match(textOf(answered), /Echo: .*hello oldest/s, textOf(answered));
  });

  it('the gateway registers with VS Code’s own MCP client: its tools reach vscode.lm.tools', async () => {
    const names = await waitFor('the gateway’s tools in vscode.lm.tools', async () => {
      const tools = await session.command<string[]>('mcpSamplingTest.startMcpServers', 20_000, GATEWAY_DEFINITION_ID);
      return tools.some((n) => n.endsWith('alpha__sample')) ? tools : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    assert.ok(names.some((n) => n.endsWith('alpha__sample')), names.join(', '));
  });
});
