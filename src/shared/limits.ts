import { PARAMETER_BOUNDS } from './parameterBounds';

/** Size bounds for everything that crosses the host<->webview boundary (characters or items). */
export const LIMITS = {
  id: 256,
  name: 1024,
  /** A resource URI. */
  uri: 8192,
  /** A media type such as `image/png`. */
  mimeType: 100,
  reason: 8192,
  /** One message text, system prompt, streamed answer or manual reply. */
  text: 32 * 1024 * 1024,
  /** Base64 payload of one image or audio block. */
  media: 32 * 1024 * 1024,
  /** Pretty-printed JSON shown read-only (tool input, schemas, metadata). */
  json: 1_000_000,
  delta: 1_000_000,
  requests: 500,
  messages: 1000,
  blocks: 1000,
  providers: 100,
  models: 2000,
  tools: 1000,
  stopSequences: 100,
  warnings: 200,
  hints: 100,
  maxTokens: PARAMETER_BOUNDS.maxTokens.max,
  temperature: PARAMETER_BOUNDS.temperature.max,
  timestamp: 8.64e15,
} as const;

/** Bounds of an elicitation request and its answers, shared by the request validator and the panel's readers. */
export const ELICITATION_LIMITS = {
  message: 10_000,
  fields: 100,
  url: 8192,
  choices: 500,
  /** One string value (an answer, or a server's default: longer defaults are dropped). */
  value: 100_000,
} as const;
