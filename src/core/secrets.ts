/**
 * The one way to redact secrets (API keys, `${input:}` values, tokens): every log line, error sent to
 * a server, history record and connection log goes through `redactSecrets` or a `SecretRegistry`.
 * Longest values go first, so a secret that is a prefix of another never leaves the other's tail;
 * JSON-escaped forms are redacted too, since secrets also appear inside serialized JSON.
 */

/** What a secret becomes. */
export const REDACTED = '[redacted]';

/** Shorter values are not treated as secrets: masking two or three characters would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 4;

function ordered(values: Iterable<string | undefined>): string[] {
  const unique = new Set<string>();
  for (const value of values) if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) unique.add(value);
  return [...unique].sort((a, b) => b.length - a.length);
}

function redactOrdered(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Replaces every occurrence of each secret (and of its JSON-escaped form) in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  return redactOrdered(text, ordered(secrets));
}

/** The secrets known to this session, registered as they are learned (API keys read, inputs answered). */
export class SecretRegistry {
  private sorted: string[] = [];
  private readonly known = new Set<string>();

  /** Registers a value to redact from now on; values shorter than MIN_SECRET_LENGTH are ignored. */
  register(value: string | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.known.has(value)) return;
    this.known.add(value);
    this.sorted = ordered(this.known);
  }

  /** Every registered value, longest first. */
  values(): readonly string[] {
    return this.sorted;
  }

  get size(): number {
    return this.sorted.length;
  }

  redact(text: string): string {
    return this.sorted.length === 0 ? text : redactOrdered(text, this.sorted);
  }
}
