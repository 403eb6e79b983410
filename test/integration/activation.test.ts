import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { McpSamplingApi } from '../../src/api';

const EXTENSION_ID = 'mcp-sampling.mcp-sampling-client';

describe('Extension in a real extension host', () => {
  it('activates and returns the documented API', async () => {
    const ext = vscode.extensions.getExtension<McpSamplingApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const api = await ext.activate();
    assert.equal(api.apiVersion, 1);
    assert.ok(Array.isArray(api.listServers()));
  });

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['mcpSampling.showLog', 'mcpSampling.togglePause', 'mcpSampling.openPanel', 'mcpSampling.callTool', 'mcpSampling.setApiKey']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('finds the helper extension\'s deterministic model through vscode.lm', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'mcp-sampling-test' });
    assert.equal(models.length, 1);
    const model = models[0]!;
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const chunk of response.text) text += chunk;
    assert.equal(text, 'Echo: hello');
  });

  it('togglePause writes mcpSampling.paused and toggles it back', async () => {
    const config = () => vscode.workspace.getConfiguration('mcpSampling');
    const before = config().get<boolean>('paused');
    await vscode.commands.executeCommand('mcpSampling.togglePause');
    assert.equal(config().get<boolean>('paused'), !before);
    await vscode.commands.executeCommand('mcpSampling.togglePause');
    assert.equal(config().get<boolean>('paused'), before);
  });
});
