/**
 * A model provider for tests: answers with what the last message said (`echo: <said>` unless a test
 * asks for another form), records every request, and honours its signal.
 */
import type { DeltaListener, ModelInfo, ModelProvider, ProviderRequest, ProviderResponse, TokenUsage } from '../../src/core/providers/types';

export interface EchoOptions {
  readonly id?: string;
  /** Default: one model, `echo-1`. */
  readonly models?: readonly ModelInfo[];
  readonly stopReason?: ProviderResponse['stopReason'];
  readonly usage?: TokenUsage;
  /** The answer from what the last message said and the request's number, from 1 (default `echo: <said>`). */
  readonly answer?: (said: string, call: number) => string;
  /** How the answer streams (default: in one piece). */
  readonly deltas?: (answer: string) => readonly string[];
  /** Calls the offered `weather` tool when asked about the weather (not in answer to its result). */
  readonly callsWeatherTool?: boolean;
}

/** What the last message said: its texts, a tool result as `result:<json>`, anything else as `[type]`. */
export function lastSaid(request: ProviderRequest): string {
  const last = request.messages[request.messages.length - 1];
  const blocks = last ? (Array.isArray(last.content) ? last.content : [last.content]) : [];
  return blocks.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_result' ? `result:${JSON.stringify(b.content)}` : `[${b.type}]`)).join(' ');
}

/** The `echo<said>` form some tests expect. */
export const echoInAngles = (said: string): string => `echo<${said}>`;

export class EchoProvider implements ModelProvider {
  readonly id: string;
  readonly label = 'Echo';
  readonly requests: ProviderRequest[] = [];

  constructor(private readonly options: EchoOptions = {}) {
    this.id = options.id ?? 'echo';
  }

  async listModels(): Promise<readonly ModelInfo[]> {
    return this.options.models ?? [{ id: 'echo-1' }];
  }

  async complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal): Promise<ProviderResponse> {
    this.requests.push(request);
    signal.throwIfAborted();
    const said = lastSaid(request);
    const { options } = this;
    if (options.callsWeatherTool && request.tools?.some((t) => t.name === 'weather') && /weather/.test(said) && !said.startsWith('result:')) {
      return { model: request.model, content: [{ type: 'tool_use', id: `call-${this.requests.length}`, name: 'weather', input: { city: 'Paris' } }], stopReason: 'toolUse' };
    }
    const text = options.answer ? options.answer(said, this.requests.length) : `echo: ${said}`;
    for (const piece of options.deltas ? options.deltas(text) : [text]) onDelta(piece);
    return { model: request.model, content: { type: 'text', text }, stopReason: options.stopReason ?? 'endTurn', ...(options.usage ? { usage: options.usage } : {}) };
  }
}
