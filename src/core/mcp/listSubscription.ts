/**
 * List changes on MCP 2026-07-28 (`subscriptions/listen`, SEP-2575): a stateless server sends no
 * `list_changed` on its own, so the connection keeps one long-lived `subscriptions/listen` request
 * open asking for the list changes the server's capabilities offer. The notifications arrive through
 * the handlers every client has (`installNotifications`), tagged with the request's id; this opens
 * the stream, opens it again when the server ends it, and gives up on a server that does not know
 * the method (its lists are then seen on reconnect or Refresh, as before).
 */
import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { abortableDelay } from '../async';
import type { Logger } from '../logger';
import type { ClientSdk, SdkClient } from './sdk';
import { errorMessage } from './types';

/** The notification filter of `subscriptions/listen`: only what the server says it can send. */
export interface ListFilter {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
}

const METHOD_NOT_FOUND = -32601;
/** setTimeout's largest delay: the request stays open until the connection ends. */
const NO_TIMEOUT_MS = 2_147_483_647;
/** A server that ends the stream over and over (each within LONG_STREAM_MS) is not listened to for ever. */
const MAX_OPENS = 20;
const REOPEN_DELAY_MS = 1000;
const MAX_REOPEN_DELAY_MS = 60_000;
/** A stream open this long was no loop: the count of opens starts again (proxies end quiet streams). */
const LONG_STREAM_MS = 60_000;
/** How long a result may take to reach the request after its response ended. */
const RESULT_GRACE_MS = 100;

/** The reason a listen request is ended when its stream closed without a result. */
class StreamClosed extends Error {}

export function listFilter(capabilities: ServerCapabilities | undefined): ListFilter | undefined {
  const filter: ListFilter = {};
  if (capabilities?.tools?.listChanged) filter.toolsListChanged = true;
  if (capabilities?.prompts?.listChanged) filter.promptsListChanged = true;
  if (capabilities?.resources?.listChanged) filter.resourcesListChanged = true;
  return Object.keys(filter).length > 0 ? filter : undefined;
}

export interface ListSubscriptionHost {
  readonly name: string;
  readonly logger: Logger;
  redact(text: string): string;
}

/** One connection's `subscriptions/listen` stream; `dispose` ends it (the SDK sends `notifications/cancelled`). */
export class ListSubscription {
  private readonly controller = new AbortController();
  private opens = 0;
  /** The request now waiting for its result. */
  private current: AbortController | undefined;

  constructor(
    private readonly host: ListSubscriptionHost,
    private readonly sdk: ClientSdk,
    private readonly client: SdkClient,
  ) {}

  /** Starts listening when the server offers list changes; returns at once. */
  start(): void {
    const filter = listFilter(this.client.getServerCapabilities());
    if (filter) void this.listen(filter);
  }

  dispose(): void {
    this.controller.abort();
  }

  /**
   * The HTTP response of the listen request ended. With a result in it, the SDK has settled the
   * request by now or within the grace; without one (a proxy's read timeout, a server restart) the
   * SDK would wait for ever, so the request is ended here and the stream opened again.
   */
  streamEnded(): void {
    const attempt = this.current;
    if (!attempt) return;
    setTimeout(() => {
      if (this.current === attempt) attempt.abort(new StreamClosed('the server closed the list-change stream without a result'));
    }, RESULT_GRACE_MS).unref?.();
  }

  private async listen(filter: ListFilter): Promise<void> {
    const { signal } = this.controller;
    const what = Object.keys(filter).map((k) => k.replace('ListChanged', '')).join(', ');
    let failures = 0;
    // A client whose transport closed ends here too (teardown also disposes this).
    while (!signal.aborted && this.client.transport && this.opens < MAX_OPENS) {
      this.opens++;
      this.host.logger.debug(`[${this.host.name}] listening for list changes (${what})`);
      // One controller per request: the SDK leaves its abort listener on the signal it is given.
      const attempt = new AbortController();
      const forward = () => attempt.abort(signal.reason);
      signal.addEventListener('abort', forward, { once: true });
      this.current = attempt;
      const openedAt = Date.now();
      try {
        await this.client.request({ method: 'subscriptions/listen', params: { notifications: filter } }, this.sdk.types.ResultSchema, { signal: attempt.signal, timeout: NO_TIMEOUT_MS });
        if (signal.aborted) return;
        failures = 0;
        this.host.logger.debug(`[${this.host.name}] the server ended the list-change stream`);
      } catch (error) {
        if (signal.aborted) return;
        if (attempt.signal.reason instanceof StreamClosed) {
          failures = 0;
          this.host.logger.debug(`[${this.host.name}] ${attempt.signal.reason.message}`);
        } else if (notOffered(error)) {
          this.host.logger.info(`[${this.host.name}] does not offer subscriptions/listen: list changes are seen on reconnect or Refresh`);
          return;
        } else {
          failures++;
          this.host.logger.debug(`[${this.host.name}] the list-change stream failed: ${this.host.redact(errorMessage(error))}`);
        }
      } finally {
        signal.removeEventListener('abort', forward);
        this.current = undefined;
      }
      if (Date.now() - openedAt >= LONG_STREAM_MS) this.opens = 0;
      // Failures back off (1, 2, 4 … 60 s); a stream the server ended is opened again after the base delay.
      await abortableDelay(Math.min(MAX_REOPEN_DELAY_MS, REOPEN_DELAY_MS * 2 ** Math.max(0, failures - 1)), signal).catch(() => undefined);
    }
    if (!signal.aborted && this.client.transport) this.host.logger.warn(`[${this.host.name}] ended the list-change stream ${MAX_OPENS} times, each within a minute of opening it: no longer listening (Refresh reloads the lists)`);
  }
}

/** -32601 from the server, or HTTP 404 for the request (how Streamable HTTP answers an unknown method). */
function notOffered(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === METHOD_NOT_FOUND || code === 404;
}
