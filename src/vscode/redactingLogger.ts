import type * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { SecretRegistry } from '../core/secrets';

/**
 * Wraps the LogOutputChannel so that known secret strings (API keys, `${input:}` values)
 * never reach the log, whatever a message or a server's stderr contains.
 */
export class RedactingLogger implements Logger {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    /** The session's one registry of secrets (shared with errors, history and connection logs). */
    readonly secrets: SecretRegistry = new SecretRegistry(),
  ) {}

  redact(text: string): string {
    return this.secrets.redact(text);
  }

  /**
   * Whether the channel would show a message of this level (vscode.LogLevel: Off 0, Trace 1 … Error 5).
   * Checked first so a trace line with the request as its argument is neither redacted nor
   * serialized on every request when nobody asked for trace.
   */
  private shows(level: number): boolean {
    const current = (this.channel as { logLevel?: unknown }).logLevel;
    return typeof current !== 'number' || (current !== 0 && current <= level);
  }

  trace(message: string, ...args: unknown[]): void {
    if (!this.shows(1)) return;
    this.channel.trace(this.redact(message), ...args.map((a) => this.redactArg(a)));
  }
  debug(message: string, ...args: unknown[]): void {
    if (!this.shows(2)) return;
    this.channel.debug(this.redact(message), ...args.map((a) => this.redactArg(a)));
  }
  info(message: string, ...args: unknown[]): void {
    if (!this.shows(3)) return;
    this.channel.info(this.redact(message), ...args.map((a) => this.redactArg(a)));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.redact(message), ...args.map((a) => this.redactArg(a)));
  }
  error(message: string | Error, ...args: unknown[]): void {
    const text = message instanceof Error ? `${message.name}: ${message.message}` : message;
    this.channel.error(this.redact(text), ...args.map((a) => this.redactArg(a)));
  }

  private redactArg(arg: unknown): unknown {
    if (this.secrets.size === 0) return arg;
    if (typeof arg === 'string') return this.redact(arg);
    if (arg instanceof Error) return this.redact(`${arg.name}: ${arg.message}`);
    try {
      return this.redact(JSON.stringify(arg));
    } catch {
      return '[unserializable]';
    }
  }
}
