// Shared builders for the protocol and panel tests (not a test file itself).
import type { ApprovalRequest } from '../../src/core/sampling/types';
import type { RequestView } from '../../src/shared/protocol';

export const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A full request; `id` sets its origin's requestId. */
export function sampleRequest(overrides: Partial<ApprovalRequest> & { id?: string } = {}): ApprovalRequest {
  const { id, ...rest } = overrides;
  const request: ApprovalRequest = {
    origin: { requestId: 'req-1', serverName: 'everything', serverSource: 'settings (user)', route: 'server-request', toolCall: { name: 'sampleLLM' } },
    params: {
      systemPrompt: 'You are terse.',
      messages: [
        { role: 'user', content: { type: 'text', text: 'Say hello\nin two lines' } },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello' }, { type: 'image', mimeType: 'image/png', data: PNG_1PX }] },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ],
      maxTokens: 100,
      temperature: 0.5,
      stopSequences: ['END'],
      includeContext: 'thisServer',
      modelPreferences: { hints: [{ name: 'claude' }], costPriority: 0.2, speedPriority: 0.5, intelligencePriority: 0.9 },
      metadata: { trace: 'abc' },
      tools: [{ name: 'lookup', description: 'Look a thing up', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }],
      toolChoice: { mode: 'auto' },
    },
    choice: { providerId: 'vscode-lm', model: 'gpt-4o', reason: 'default provider' },
    providers: [
      { id: 'vscode-lm', label: 'VS Code models', models: [{ id: 'gpt-4o', maxInputTokens: 64000 }, { id: 'claude-sonnet', name: 'Claude Sonnet' }] },
      { id: 'manual', label: 'Manual reply', models: [] },
      { id: 'local', label: 'Ollama', models: [{ id: 'llama3' }] },
    ],
    tokenEstimate: 42,
    maxInputTokens: 64000,
    warnings: [
      {
        kind: 'hidden-characters',
        field: { kind: 'message', message: 1, role: 'user', part: { kind: 'text' } },
        found: { count: 1, atLeast: false, bidi: true, kinds: [{ codePoint: 0x202e, name: 'RIGHT-TO-LEFT OVERRIDE' }], moreKinds: 0 },
      },
    ],
    receivedAt: 1_700_000_000_000,
    ...rest,
  };
  return id === undefined ? request : { ...request, origin: { ...request.origin, requestId: id } };
}

export function sampleView(overrides: Partial<RequestView> = {}): RequestView {
  return {
    requestId: 'req-1',
    serverName: 'everything',
    serverSource: 'settings (user)',
    route: 'server-request',
    toolCallName: 'sampleLLM',
    receivedAt: 1_700_000_000_000,
    systemPrompt: 'You are terse.',
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Say hello' }] },
      {
        role: 'assistant',
        content: [
          { type: 'image', mimeType: 'image/png', data: PNG_1PX },
          { type: 'audio', mimeType: 'audio/wav', data: 'UklGRg==' },
          { type: 'tool_use', id: 't1', name: 'lookup', input: '{"q":"x"}' },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            toolUseId: 't1',
            isError: false,
            content: [
              { type: 'text', text: 'found' },
              { type: 'resource', uri: 'file:///a.txt', mimeType: 'text/plain', text: 'a' },
            ],
            structured: '{"ok":true}',
          },
          { type: 'other', json: '{"type":"future"}' },
        ],
      },
    ],
    maxTokens: 100,
    temperature: 0.5,
    stopSequences: ['END'],
    includeContext: 'thisServer',
    modelPreferences: { hints: ['claude'], costPriority: 0.2 },
    metadata: '{"trace":"abc"}',
    tools: [{ name: 'lookup', description: 'Look a thing up', inputSchema: '{}' }],
    toolChoice: 'auto',
    choice: { providerId: 'vscode-lm', model: 'gpt-4o', reason: 'default provider' },
    providers: [
      { id: 'vscode-lm', label: 'VS Code models', models: [{ id: 'gpt-4o', maxInputTokens: 64000 }, { id: 'claude-sonnet', name: 'Claude Sonnet' }] },
      { id: 'local', label: 'Ollama', models: [{ id: 'llama3' }] },
    ],
    tokenEstimate: 42,
    maxInputTokens: 64000,
    warnings: ['hidden characters'],
    state: 'pending',
    step: 'approval',
    responseText: '',
    ...overrides,
  };
}
