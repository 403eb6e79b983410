/**
 * What "Show Server Log" shows for one server (its stderr, its `notifications/message`, protocol
 * errors and our status changes, redacted, newest 1000 lines) and the notification handlers that
 * feed it, list changes included.
 */
import type { Logger } from '../logger';
import { LineRingBuffer } from './lineBuffer';
import type { SdkClient } from './sdk';
import type { NotificationSink } from './sdkClients';
import type { ListKind } from './serverLists';
import { errorMessage, type ConnectionState, type ServerLogEvent } from './types';

export interface ServerLogHost {
  readonly name: string;
  readonly logger: Logger;
  redact(text: string): string;
  onLog(event: ServerLogEvent): void;
  onListChanged(client: SdkClient, what: ListKind): void;
  /** After a protocol error has been logged. */
  onProtocolError(client: SdkClient): void;
}

export class ServerLog {
  private readonly lines: LineRingBuffer;
  /** The handlers every SDK client of this connection gets. */
  readonly notifications: NotificationSink;

  constructor(private readonly host: ServerLogHost) {
    this.lines = new LineRingBuffer(1000, 4096, (line) => host.redact(line));
    this.notifications = {
      name: host.name,
      logger: host.logger,
      redact: (text) => host.redact(text),
      logLine: (line) => this.lines.push(line),
      onLog: (event) => host.onLog(event),
      onListChanged: (client, what) => host.onListChanged(client, what),
      onProtocolError: (client, error) => {
        this.protocolError(error);
        host.onProtocolError(client);
      },
    };
  }

  stderr(line: string): void {
    this.lines.push(`[stderr] ${line}`);
    this.host.logger.info(`[${this.host.name}] stderr: ${line}`);
  }

  protocolError(error: Error): void {
    const text = this.host.redact(errorMessage(error));
    this.host.logger.warn(`[${this.host.name}] protocol error: ${text}`);
    this.lines.push(`[error] ${text}`);
  }

  status(state: ConnectionState): void {
    this.lines.push(`[status] ${state.status}${state.protocolVersion ? ` (MCP ${state.protocolVersion})` : ''}${state.error ? `: ${state.error}` : ''}`);
  }

  /** Oldest first. */
  tail(): string[] {
    return this.lines.tail();
  }
}
