import * as vscode from 'vscode';

/**
 * A deterministic agent model for a real agent turn in the Chat view (test/e2e/agentTurn.test.ts):
 * - on a turn whose user text says `… with the prompt "<words>"` and whose offered tools include a
 *   gateway tool for server-everything's `trigger-sampling-request`, it answers with a call to that
 *   tool with `{ prompt: <words> }`;
 * - on the turn that carries that call's result, it answers with text quoting the result verbatim
 *   in a code block (so the chat shows exactly what the tool returned);
 * - otherwise (titles, follow-ups, no such tool) it answers a short plain sentence naming what it saw.
 * It is registered only when a test asks (`mcpSamplingTest.registerAgentModel`), so the other tests'
 * model choice ("the first available model") never meets it. What it was offered and received is
 * kept for the test (`mcpSamplingTest.agentTranscript`).
 */
const MODEL: vscode.LanguageModelChatInformation = {
  id: 'test-agent',
  name: 'Test Agent',
  family: 'test-agent',
  version: '1',
  maxInputTokens: 200_000,
  maxOutputTokens: 4_096,
  capabilities: { imageInput: false, toolCalling: true },
};

const SAMPLING_TOOL = /__trigger-sampling-request$/;
const PROMPT = /with the prompt "([^"\n]{1,200})"/;

interface ToolResultLike {
  readonly callId: string;
  readonly content: readonly unknown[];
}

/** Tool results arrive as LanguageModelToolResultPart (or a newer class of the same shape). */
function isToolResult(part: unknown): part is ToolResultLike {
  return typeof part === 'object' && part !== null && typeof (part as ToolResultLike).callId === 'string' && Array.isArray((part as ToolResultLike).content);
}

function textOfParts(parts: readonly unknown[]): string {
  return parts.map((p) => (typeof (p as { value?: unknown }).value === 'string' ? (p as { value: string }).value : '')).join('');
}

export interface AgentTranscriptEntry {
  /** The names of the tools the agent offered on this request. */
  readonly offeredTools: string[];
  /** What the model answered: a tool call, or text. */
  readonly answer: { toolCall: { name: string; input: object } } | { text: string };
  /** The text of the tool result this request carried, if any. */
  readonly toolResult?: string;
}

export function registerAgentModelCommands(): vscode.Disposable {
  const transcript: AgentTranscriptEntry[] = [];
  let registration: vscode.Disposable | undefined;
  let calls = 0;

  const provider: vscode.LanguageModelChatProvider = {
    provideLanguageModelChatInformation: () => [MODEL],
    async provideLanguageModelChatResponse(_model, messages, options, progress) {
      const offeredTools = (options.tools ?? []).map((t) => t.name);
      const last = messages[messages.length - 1];
      const result = last?.content.find(isToolResult);
      if (result) {
        const toolResult = textOfParts(result.content);
        const text = `The gateway tool answered:\n\n\`\`\`text\n${toolResult}\n\`\`\`\n`;
        transcript.push({ offeredTools, answer: { text }, toolResult });
        progress.report(new vscode.LanguageModelTextPart(text));
        return;
      }
      // The latest user message that names a prompt (earlier turns of the conversation come first).
      const prompt = messages
        .filter((m) => m.role === vscode.LanguageModelChatMessageRole.User)
        .map((m) => [...textOfParts(m.content).matchAll(new RegExp(PROMPT, 'g'))].pop()?.[1])
        .filter((p) => p !== undefined)
        .pop();
      const tool = options.tools?.find((t) => SAMPLING_TOOL.test(t.name));
      if (prompt && tool) {
        const input = { prompt, maxTokens: 100 };
        transcript.push({ offeredTools, answer: { toolCall: { name: tool.name, input } } });
        progress.report(new vscode.LanguageModelToolCallPart(`test-agent-call-${++calls}`, tool.name, input));
        return;
      }
      const text = prompt ? `No gateway sampling tool was offered (tools: ${offeredTools.join(', ') || 'none'}).` : 'Test Agent: nothing to do.';
      transcript.push({ offeredTools, answer: { text } });
      progress.report(new vscode.LanguageModelTextPart(text));
    },
    async provideTokenCount(_model, text) {
      const s = typeof text === 'string' ? text : textOfParts(text.content);
      return Math.ceil(s.length / 4);
    },
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('mcpSamplingTest.registerAgentModel', async () => {
      registration ??= vscode.lm.registerLanguageModelChatProvider('mcp-sampling-test-agent', provider);
      // The workbench asks extension providers for their models lazily (when an extension selects
      // models, or in Manage Models); until then the Chat view's model picker does not list them.
      const models = await vscode.lm.selectChatModels({});
      return models.map((m) => m.id);
    }),
    vscode.commands.registerCommand('mcpSamplingTest.agentTranscript', () => transcript),
    { dispose: () => registration?.dispose() },
  );
}
