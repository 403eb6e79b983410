/**
 * The demo MCP server shipped in the extension (dist/demo/server.js): a stdio server whose tools ask
 * their client for completions, so a new user sees the whole sampling flow with nothing installed.
 * It imports nothing from the extension; it runs as its own Node process.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type CreateMessageResult, type Tool } from '@modelcontextprotocol/sdk/types.js';

// The low-level server with JSON Schemas: McpServer would bring zod's schema converter and a second
// zod into the VSIX (about 50 KB) for three tools.
const server = new Server({ name: 'mcp-sampling-demo', version: '1.0.0' }, { capabilities: { tools: {} } });

/** Sampling waits for a human: keep the request alive while progress arrives, for up to 10 minutes. */
const SAMPLING_OPTIONS = { timeout: 600_000, resetTimeoutOnProgress: true, onprogress: () => {} };

function answerText(result: CreateMessageResult): string {
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  return blocks.map((b) => (b.type === 'text' ? b.text : `[${b.type}]`)).join('\n');
}

interface DemoTool {
  readonly tool: Tool;
  run(args: Record<string, unknown>): Promise<CallToolResult>;
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

const summarize: DemoTool = {
  tool: {
    name: 'summarize',
    description: 'Summarizes a text in three sentences, using the client\'s language model (sampling).',
    inputSchema: { type: 'object', properties: { text: { type: 'string', description: 'The text to summarize' } }, required: ['text'] },
  },
  async run({ text }) {
    if (typeof text !== 'string') return failure('`text` must be a string.');
    const result = await server.createMessage(
      {
        systemPrompt: 'You are a concise assistant. Answer with at most three sentences.',
        messages: [{ role: 'user', content: { type: 'text', text: `Summarize this text:\n\n${text}` } }],
        maxTokens: 300,
        temperature: 0.3,
        modelPreferences: { hints: [{ name: 'gpt-4o-mini' }, { name: 'claude-haiku' }], speedPriority: 0.8, costPriority: 0.6, intelligencePriority: 0.3 },
      },
      SAMPLING_OPTIONS,
    );
    return { content: [{ type: 'text', text: `Summary (${result.model}):\n${answerText(result)}` }] };
  },
};

const describeImage: DemoTool = {
  tool: {
    name: 'describe_image',
    description: 'Asks the client\'s model to describe a small built-in picture (sampling with an image).',
    inputSchema: { type: 'object', properties: {} },
  },
  async run() {
    // A 2×2 PNG: red, green, blue and white pixels.
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';
    const result = await server.createMessage(
      {
        messages: [
          { role: 'user', content: { type: 'image', data: png, mimeType: 'image/png' } },
          { role: 'user', content: { type: 'text', text: 'Describe this image in one sentence.' } },
        ],
        maxTokens: 200,
      },
      SAMPLING_OPTIONS,
    );
    return { content: [{ type: 'text', text: answerText(result) }] };
  },
};

const answerWithTools: DemoTool = {
  tool: {
    name: 'answer_with_tools',
    description: 'Asks a question and offers the model a `get_weather` tool (sampling with tools, MCP 2025-11-25). Needs a client that declares sampling.tools.',
    inputSchema: { type: 'object', properties: { question: { type: 'string', default: 'What is the weather in Paris?' } } },
  },
  async run({ question = 'What is the weather in Paris?' }) {
    if (typeof question !== 'string') return failure('`question` must be a string.');
    const caps = server.getClientCapabilities();
    if (!caps?.sampling?.tools) return failure('The client does not support tools in sampling.');
    const tools = [
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        inputSchema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
      },
    ];
    const messages: Parameters<typeof server.createMessage>[0]['messages'] = [{ role: 'user', content: { type: 'text', text: question } }];
    for (let round = 0; round < 3; round++) {
      const result = await server.createMessage({ messages, maxTokens: 300, tools, toolChoice: { mode: 'auto' } }, SAMPLING_OPTIONS);
      const blocks = Array.isArray(result.content) ? result.content : [result.content];
      const calls = blocks.filter((b) => b.type === 'tool_use');
      if (result.stopReason !== 'toolUse' || calls.length === 0) {
        return { content: [{ type: 'text', text: blocks.map((b) => (b.type === 'text' ? b.text : '')).join('') }] };
      }
      messages.push({ role: 'assistant', content: blocks });
      messages.push({
        role: 'user',
        content: calls.map((c) => ({ type: 'tool_result' as const, toolUseId: c.id, content: [{ type: 'text' as const, text: 'Sunny, 21 °C' }] })),
      });
    }
    return failure('The model kept calling tools; stopped after three rounds.');
  },
};

const TOOLS: readonly DemoTool[] = [summarize, describeImage, answerWithTools];

server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map((t) => t.tool) }));
server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const demo = TOOLS.find((t) => t.tool.name === request.params.name);
  return demo ? demo.run(request.params.arguments ?? {}) : failure(`Unknown tool: ${request.params.name}`);
});

server.connect(new StdioServerTransport()).catch((err: unknown) => {
  process.stderr.write(`demo server failed to start: ${String(err)}\n`);
  process.exit(1);
});
