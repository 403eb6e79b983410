/**
 * The provider contract: what a model provider (vscode.lm, an OpenAI-compatible endpoint, the manual
 * reply) is asked and answers, in MCP content terms. The pipeline (core/sampling) uses these; the
 * providers import nothing from the pipeline.
 */
import type {
  CreateMessageRequest,
  CreateMessageResult,
  CreateMessageResultWithTools,
  SamplingMessage,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { ProviderKind } from './kinds';

/** What an answer may contain: one text/image/audio block, or (with tools) blocks including tool_use. */
export type ResponseContent = CreateMessageResult['content'] | CreateMessageResultWithTools['content'];

export interface ModelInfo {
  readonly id: string;
  readonly family?: string;
  readonly name?: string;
  readonly maxInputTokens?: number;
  /** 0–1 metadata used against modelPreferences priorities (from settings). */
  readonly cost?: number;
  readonly speed?: number;
  readonly intelligence?: number;
}

export interface ProviderChoice {
  readonly providerId: string;
  readonly model: string;
  /** Why this provider and model were chosen, in words, e.g. `hint "claude" matched claude-3.5`. */
  readonly reason: string;
}

/** What a provider is asked to do: the MCP request in provider-neutral form. */
export interface ProviderRequest {
  readonly model: string;
  readonly systemPrompt?: string;
  readonly messages: readonly SamplingMessage[];
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly tools?: readonly Tool[];
  readonly toolChoice?: CreateMessageRequest['params']['toolChoice'];
}

export interface TokenUsage {
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** A provider's answer, already in MCP content terms. */
export interface ProviderResponse {
  readonly model: string;
  /** A single block, or an array when the model called tools (tool_use blocks, stopReason 'toolUse'). */
  readonly content: ResponseContent;
  readonly stopReason: 'endTurn' | 'stopSequence' | 'maxTokens' | 'toolUse' | (string & {});
  readonly usage?: TokenUsage;
}

/** Streaming text as it arrives, so the panel can show it. */
export type DeltaListener = (textDelta: string) => void;

/** The person at the approval UI, for a provider whose answer a person types (the manual reply). */
export interface PersonAtHand {
  typedReply(signal: AbortSignal): Promise<string>;
}

export interface ModelProvider {
  readonly id: string;
  readonly label: string;
  /** The model used when nothing else decides (a hint, a pinned model), when the provider has one. */
  readonly defaultModel?: string;
  /** A person types the answer: the request waits for a person, and the answer is not reviewed again. */
  readonly answeredByPerson?: boolean;
  /** Models this provider can use now; an empty list means it cannot answer. */
  listModels(signal: AbortSignal): Promise<readonly ModelInfo[]>;
  /** The models already known without waiting (a fresh cached list), or undefined: lets the catalog skip its timeout per request. */
  cachedModels?(): readonly ModelInfo[] | undefined;
  complete(request: ProviderRequest, onDelta: DeltaListener, signal: AbortSignal, person?: PersonAtHand): Promise<ProviderResponse>;
}

export interface ProviderModelSetting {
  readonly id: string;
  readonly cost?: number;
  readonly speed?: number;
  readonly intelligence?: number;
  readonly maxInputTokens?: number;
}

/** One entry of `mcpSampling.providers`: an HTTP endpoint of a kind (kinds.json). The key lives in secret storage. */
export interface ProviderSetting {
  /** Absent: `openai-compatible` (DEFAULT_PROVIDER_KIND). */
  readonly kind?: ProviderKind;
  readonly id: string;
  readonly label?: string;
  readonly baseUrl: string;
  readonly defaultModel?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly models?: readonly ProviderModelSetting[];
}

export interface ProviderCatalogEntry {
  readonly id: string;
  readonly label: string;
  readonly models: readonly ModelInfo[];
  readonly defaultModel?: string;
}
