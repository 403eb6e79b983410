/**
 * The one place for the bounds of request parameters a person can edit: the pipeline refuses a
 * server's request outside them, the host builds views within them, the webview's inputs and the
 * message validation use them. Temperature 0–2 is what OpenAI-compatible endpoints accept.
 */
export const PARAMETER_BOUNDS = {
  temperature: { min: 0, max: 2 },
  maxTokens: { min: 1, max: 100_000_000 },
} as const;
