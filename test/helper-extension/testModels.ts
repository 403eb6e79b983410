import { createHash } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * A deterministic chat model: answers "Echo: <last user text>" in several streamed chunks;
 * when tools are offered and the text contains "use tool", it calls the first tool instead.
 * A text that starts with "DIGEST ONLY" is answered with its SHA-256 and length instead (the
 * benchmark's megabyte requests: proof of what the model received, without streaming it back).
 * Its token count is the character count divided by four, rounded up.
 */
const MODEL: vscode.LanguageModelChatInformation = {
  id: 'test-echo',
  name: 'Test Echo',
  family: 'test-echo',
  version: '1',
  // Room for the benchmark's 10 MB request (about 2.5 million tokens by the characters / 4 estimate).
  maxInputTokens: 4_000_000,
  maxOutputTokens: 4_096,
  capabilities: { imageInput: true, toolCalling: true },
};

function textOf(message: vscode.LanguageModelChatRequestMessage): string {
  return message.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : part instanceof vscode.LanguageModelDataPart ? `[${part.mimeType} ${part.data.byteLength} bytes]` : ''))
    .join('');
}

export function registerTestModels(): vscode.Disposable {
  const provider: vscode.LanguageModelChatProvider = {
    provideLanguageModelChatInformation: () => [MODEL],
    async provideLanguageModelChatResponse(_model, messages, options, progress, token) {
      const lastUser = [...messages].reverse().find((m) => m.role === vscode.LanguageModelChatMessageRole.User);
      const text = lastUser ? textOf(lastUser) : '';
      if (text.startsWith('DIGEST ONLY')) {
        progress.report(new vscode.LanguageModelTextPart(`sha256 ${createHash('sha256').update(text).digest('hex')} length ${text.length}`));
        return;
      }
      const tool = options.tools?.[0];
      if (tool && /use tool/i.test(text)) {
        progress.report(new vscode.LanguageModelToolCallPart('call-1', tool.name, { query: text.slice(0, 100) }));
        return;
      }
      const answer = `Echo: ${text}`;
      for (let i = 0; i < answer.length && !token.isCancellationRequested; i += 8) {
        progress.report(new vscode.LanguageModelTextPart(answer.slice(i, i + 8)));
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    async provideTokenCount(_model, text) {
      const s = typeof text === 'string' ? text : textOf(text);
      return Math.ceil(s.length / 4);
    },
  };
  return vscode.lm.registerLanguageModelChatProvider('mcp-sampling-test', provider);
}
