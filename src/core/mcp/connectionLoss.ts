/**
 * Notices that a connected server went away without being asked to: the SDK client closed (a stdio
 * process exited, a stream ended) or, on HTTP, a liveness probe after a transport error found no
 * server. Either way the connection is torn down and ends in status `error` with the stderr tail.
 */
import type { Logger } from '../logger';
import { whyNotAlive, type LivenessProbe } from './liveness';
import type { SdkClient } from './sdk';
import type { StdioProcess } from './stdioProcess';

const STDERR_TAIL_IN_STATUS = 20;

export interface ConnectionLossHost {
  readonly name: string;
  readonly logger: Logger;
  readonly process: StdioProcess;
  redact(text: string): string;
  /** Whether `client` is still the connection's live client (not replaced, not closing). */
  isCurrent(client: SdkClient): boolean;
  isConnected(): boolean;
  probe(): LivenessProbe;
  /** Records why requests still in flight end. */
  setCloseReason(reason: string): void;
  teardown(): Promise<void>;
  setError(message: string, stderrTail: string[]): void;
}

export class ConnectionLoss {
  private checking = false;

  constructor(private readonly host: ConnectionLossHost) {}

  /** After a transport error on HTTP: a failed liveness check means the server is gone. */
  checkAlive(client: SdkClient): void {
    const { host } = this;
    if (this.checking || !host.isCurrent(client) || !host.isConnected()) return;
    this.checking = true;
    void whyNotAlive(client, host.probe())
      .then((reason) => {
        if (reason === undefined || !host.isCurrent(client)) return;
        host.logger.warn(`[${host.name}] the server does not answer (${host.redact(reason)})`);
        this.closed(client, true);
      })
      .finally(() => {
        this.checking = false;
      });
  }

  /** The client closed, or stopped answering, while we still wanted it. */
  closed(client: SdkClient, stoppedAnswering = false): void {
    const { host } = this;
    if (!host.isCurrent(client)) return;
    const tail = host.process.stderr.tail(STDERR_TAIL_IN_STATUS);
    const message = stoppedAnswering ? 'The server stopped answering.' : 'The server closed the connection.';
    host.setCloseReason(`Server "${host.name}" ${stoppedAnswering ? 'stopped answering' : 'closed the connection'}.`);
    host.process.forgetProcess();
    host.logger.warn(`[${host.name}] ${message}`);
    void (async () => {
      await host.process.settleStderr();
      if (!host.isCurrent(client)) return;
      await host.teardown();
      const now = host.process.stderr.tail(STDERR_TAIL_IN_STATUS);
      host.setError(message, now.length ? now : tail);
    })();
  }
}
