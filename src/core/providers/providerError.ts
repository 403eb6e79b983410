/** A provider failure with a message fit for the user and the server: never the API key. */
export type ProviderErrorKind = 'auth' | 'rate-limit' | 'server' | 'request' | 'connection' | 'timeout' | 'malformed' | 'unavailable';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Removes every known secret from a message (longest first, so overlapping secrets go entirely). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('[redacted]');
  }
  return out;
}
