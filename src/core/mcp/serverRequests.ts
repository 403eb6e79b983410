/**
 * Requests a 2025-era server sends to us (`sampling/createMessage`, `elicitation/create`,
 * `roots/list`) and their context: progress, the tool call running when they arrived, and a signal
 * that aborts with a reason when the server cancels or the connection ends (the SDK's says neither).
 * A 2026-07-28 server sends none: it embeds them in `input_required` results (see `inputRounds.ts`).
 */
import { DisposableStore, onAbort, toDisposable } from '../lifetime';
import type { Logger } from '../logger';
import type { ProtocolExtensions } from './protocolExtensions';
import type { ClientSdk, SdkClient } from './sdk';
import type { RequestAttribution, RootsSource, SamplingHandler, SamplingRequestContext } from './types';

/** The parts of the SDK's RequestHandlerExtra used for server-to-client requests. */
export interface RequestExtra {
  readonly requestId: string | number;
  readonly signal: AbortSignal;
  sendNotification(notification: { method: 'notifications/progress'; params: { progressToken: string | number; progress: number; message?: string } }): Promise<void>;
}

export interface RequestContextHost {
  readonly name: string;
  readonly logger: Logger;
  /** Why the connection is going away, when it is. */
  closeReason(): string | undefined;
  /** What is known about server request `requestId`: its transport's proof, else what is running now. */
  attribute(requestId: string | number): RequestAttribution;
  readonly protocolVersion: () => string | undefined;
}

/** Server-to-client requests in flight, by the server's request id, with their abort controllers. */
export class RequestContexts {
  private readonly controllers = new Map<string | number, AbortController>();

  constructor(private readonly host: RequestContextHost) {}

  run<T>(params: unknown, extra: RequestExtra, kind: string, run: (context: SamplingRequestContext) => Promise<T>): Promise<T> {
    const meta = typeof params === 'object' && params !== null ? (params as { _meta?: unknown })._meta : undefined;
    const token = typeof meta === 'object' && meta !== null ? (meta as { progressToken?: unknown }).progressToken : undefined;
    const progressToken = typeof token === 'string' || typeof token === 'number' ? token : undefined;
    let progress = 0;
    const sendProgress =
      progressToken === undefined
        ? undefined
        : (message?: string) => {
            progress += 1;
            extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, ...(message ? { message } : {}) } }).catch(() => {});
          };
    // A 2025-11-25 request names no call it belongs to: proven only by the stream that carried it, else a guess said as such.
    const running = this.host.attribute(extra.requestId);
    const named = running.toolCall ? ` during tool ${running.toolCall.name}` : running.runningToolCall ? ` while tool ${running.runningToolCall.name} was running` : '';
    this.host.logger.debug(`[${this.host.name}] ${kind} request ${String(extra.requestId)}${named}`);
    // The request's lifetime: what is hung on the SDK's signal and this registry ends with the request.
    const request = new DisposableStore();
    const controller = new AbortController();
    const forward = () => queueMicrotask(() => controller.abort(this.abortReason(extra.signal.reason)));
    if (extra.signal.aborted) forward();
    else request.add(onAbort(extra.signal, forward));
    this.controllers.set(extra.requestId, controller);
    request.add(toDisposable(() => this.controllers.get(extra.requestId) === controller && this.controllers.delete(extra.requestId)));
    const protocolVersion = this.host.protocolVersion();
    return run({
      serverName: this.host.name,
      requestId: extra.requestId,
      signal: controller.signal,
      ...(progressToken !== undefined ? { progressToken } : {}),
      ...(sendProgress ? { sendProgress } : {}),
      ...running,
      ...(protocolVersion ? { protocolVersion } : {}),
    }).finally(() => request.dispose());
  }

  /** The server cancelled request `requestId` (`notifications/cancelled`). */
  cancel(requestId: string | number | undefined, reason: unknown): void {
    const controller = requestId === undefined ? undefined : this.controllers.get(requestId);
    if (controller && !controller.signal.aborted) controller.abort(this.abortReason(reason));
  }

  abortReason(sdkReason: unknown): Error {
    const closing = this.host.closeReason();
    if (closing) return new Error(closing);
    if (typeof sdkReason === 'string' && sdkReason) return new Error(`The server cancelled the request: ${sdkReason}`);
    return new Error('The server cancelled the request.');
  }
}

export interface ServerRequestHandlers {
  readonly samplingHandler: SamplingHandler;
  readonly rootsSource?: RootsSource;
  readonly extensions: ProtocolExtensions;
}

/** Registers the server-to-client request handlers of a 2025-era connection on its SDK client. */
export function installServerRequestHandlers(sdk: ClientSdk, client: SdkClient, contexts: RequestContexts, handlers: ServerRequestHandlers, attribute: (requestId: string | number, peek: boolean) => RequestAttribution): void {
  const { types } = sdk;
  registerSamplingHandler(sdk, client, async (params, extra) => {
    // A task-augmented request is answered with a task at once; the pipeline runs in the background.
    // Peeked: when no task starts, the request context below takes the same attribution.
    const task = await handlers.extensions.maybeStartTask(params, extra, attribute(extra.requestId, true));
    if (task) return types.CreateTaskResultSchema.parse(task);
    const result = await contexts.run(params, extra, 'sampling', (context) => handlers.samplingHandler(params, context));
    const record = typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
    const schema = record['tools'] || record['toolChoice'] ? types.CreateMessageResultWithToolsSchema : types.CreateMessageResultSchema;
    const checked = schema.safeParse(result);
    if (!checked.success) throw new types.McpError(types.ErrorCode.InternalError, `Invalid sampling result: ${checked.error.message}`);
    return checked.data;
  });
  handlers.extensions.install(client, (params, extra, run) => contexts.run(params, extra as unknown as RequestExtra, 'elicitation', run));
  // The SDK ignores `notifications/cancelled` for request id 0 (a falsy check), and servers number
  // their requests from 0, so the first sampling request could never be cancelled. Handle it here,
  // then let the SDK do its own bookkeeping.
  const sdkOnCancel = (client as unknown as { _oncancel?: (n: unknown) => unknown })._oncancel;
  client.setNotificationHandler(types.CancelledNotificationSchema, (notification) => {
    contexts.cancel(notification.params.requestId, notification.params.reason);
    if (typeof sdkOnCancel === 'function') void Promise.resolve(sdkOnCancel.call(client, notification)).catch(() => {});
  });
  const roots = handlers.rootsSource;
  if (roots) client.setRequestHandler(types.ListRootsRequestSchema, async () => ({ roots: [...(await roots.listRoots())] }));
}

type Extra = Parameters<Parameters<SdkClient['setRequestHandler']>[1]>[1];

/**
 * Registers `sampling/createMessage` below the SDK Client's own wrapper: the Client parses params
 * with its strict schema first and answers -32603 with a raw Zod dump, so the pipeline's validation
 * (which names the setting or field at fault, with -32602) would never run. The params reach the
 * handler as sent; its result is still checked against the SDK's result schema.
 */
function registerSamplingHandler(sdk: ClientSdk, client: SdkClient, handle: (params: unknown, extra: Extra) => Promise<unknown>): void {
  const { types } = sdk;
  const wrapped = (request: { params?: unknown }, extra: Extra) => handle(request.params, extra);
  const protocolSetRequestHandler = (Object.getPrototypeOf(sdk.Client.prototype) as { setRequestHandler?: unknown }).setRequestHandler;
  if (typeof protocolSetRequestHandler === 'function') {
    const lenient = types.CreateMessageRequestSchema.pick({ method: true }).loose();
    protocolSetRequestHandler.call(client, lenient, wrapped);
  } else {
    client.setRequestHandler(types.CreateMessageRequestSchema, wrapped as never);
  }
}
