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

/** Removes every known secret from a message: the one redaction of core/secrets. */
export { redactSecrets as scrubSecrets } from '../secrets';
