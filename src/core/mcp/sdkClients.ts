/**
 * Builds the SDK client for each revision: a 2025-era `Client` that runs `initialize` and answers
 * the server's requests, or the 2026-07-28 client that adopts discovery and sends the envelope; both
 * get the same notification handlers (server log messages, list changes).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, Implementation, LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import { createModernClient } from './modernClient';
import { createProtocolExtensions, type ProtocolExtensions } from './protocolExtensions';
import { LEGACY_REVISION } from './revisions';
import type { ClientSdk, SdkClient } from './sdk';
import { installServerRequestHandlers, type RequestContexts } from './serverRequests';
import type { ListKind } from './serverLists';
import type { ModernSession } from './transports';
import type { RequestAttribution, ServerConnectionOptions, ServerLogEvent } from './types';
import { PRODUCT_VERSION } from '../version';

export const DEFAULT_CLIENT_INFO: Implementation = { name: 'mcp-sampling-client', version: PRODUCT_VERSION };
const MAX_LOG_TEXT = 4000;

/** Our capabilities; on 2026-07-28 they travel in every request's `_meta` (tasks are an extension there, not declared). */
export function clientCapabilities(options: ServerConnectionOptions, modern: boolean): ClientCapabilities {
  const capabilities: ClientCapabilities = { sampling: options.samplingTools ? { tools: {} } : {} };
  if (options.rootsSource) capabilities.roots = modern ? {} : { listChanged: true };
  if (options.elicitationHandler) {
    const modes = options.elicitationModes ?? { form: true };
    capabilities.elicitation = { ...(modes.form !== false ? { form: {} } : {}), ...(modes.url ? { url: {} } : {}) };
  }
  return capabilities;
}

export interface NotificationSink {
  readonly name: string;
  readonly logger: Logger;
  redact(text: string): string;
  /** A line for "Show Server Log". */
  logLine(line: string): void;
  onLog(event: ServerLogEvent): void;
  onListChanged(client: SdkClient, what: ListKind): void;
  onProtocolError(client: SdkClient, error: Error): void;
}

function levelToLogger(logger: Logger, level: LoggingLevel): (message: string) => void {
  switch (level) {
    case 'debug':
      return (m) => logger.debug(m);
    case 'info':
    case 'notice':
      return (m) => logger.info(m);
    case 'warning':
      return (m) => logger.warn(m);
    default:
      return (m) => logger.error(m);
  }
}

export function installNotifications(sdk: ClientSdk, client: SdkClient, sink: NotificationSink): void {
  const { types } = sdk;
  client.onerror = (error) => sink.onProtocolError(client, error);
  client.setNotificationHandler(types.LoggingMessageNotificationSchema, (notification) => {
    const { level, logger, data } = notification.params;
    let text = typeof data === 'string' ? data : (JSON.stringify(data) ?? String(data));
    if (text.length > MAX_LOG_TEXT) text = `${text.slice(0, MAX_LOG_TEXT)}…`;
    text = sink.redact(text);
    sink.logLine(`[${level}]${logger ? ` ${logger}:` : ''} ${text}`);
    levelToLogger(sink.logger, level)(`[${sink.name}]${logger ? ` ${logger}:` : ''} ${text}`);
    sink.onLog({ serverName: sink.name, level, ...(logger ? { logger } : {}), text });
  });
  client.setNotificationHandler(types.ToolListChangedNotificationSchema, () => sink.onListChanged(client, 'tools'));
  client.setNotificationHandler(types.PromptListChangedNotificationSchema, () => sink.onListChanged(client, 'prompts'));
  client.setNotificationHandler(types.ResourceListChangedNotificationSchema, () => sink.onListChanged(client, 'resources'));
}

/** A 2025-era client with our server-request handlers; elicitation and task sampling declared only when configured. */
export async function createLegacyClient(
  sdk: ClientSdk,
  options: ServerConnectionOptions,
  name: string,
  contexts: RequestContexts,
  attribute: (requestId: string | number, peek: boolean) => RequestAttribution,
): Promise<{ client: SdkClient; extensions: ProtocolExtensions }> {
  const extensions = await createProtocolExtensions({
    serverName: name,
    logger: options.logger,
    ...(options.elicitationHandler ? { elicitation: { handler: options.elicitationHandler, ...(options.elicitationModes ? { modes: options.elicitationModes } : {}) } } : {}),
    ...(options.taskSampling ? { taskSampling: { handler: options.samplingHandler, options: options.taskSampling } } : {}),
  });
  const capabilities = { ...clientCapabilities(options, false), ...extensions.capabilities() };
  const client = new sdk.Client(options.clientInfo ?? DEFAULT_CLIENT_INFO, { capabilities, ...extensions.clientOptions() });
  installServerRequestHandlers(
    sdk,
    client,
    contexts,
    { samplingHandler: options.samplingHandler, extensions, ...(options.rootsSource ? { rootsSource: options.rootsSource } : {}) },
    attribute,
  );
  return { client, extensions };
}

/** Runs `initialize` on the client; resolves with the revision it settled on. */
export async function initializeLegacy(client: SdkClient, transport: Transport, timeoutMs: number, signal: AbortSignal): Promise<string> {
  const negotiated = recordNegotiatedVersion(transport);
  await client.connect(transport, { timeout: timeoutMs, signal });
  return negotiated() ?? LEGACY_REVISION;
}

/** The 2026-07-28 client: it sends no `initialize`, and any request the server sends it gets "method not found". */
export function createStatelessClient(sdk: ClientSdk, options: ServerConnectionOptions, session: ModernSession): SdkClient {
  return createModernClient(sdk, {
    clientInfo: options.clientInfo ?? DEFAULT_CLIENT_INFO,
    capabilities: session.capabilities,
    envelope: session.envelope,
    version: session.version,
    server: session.server,
  });
}

/**
 * The revision `initialize` settled on: the SDK Client hands it to `transport.setProtocolVersion`
 * (HTTP transports have one; for stdio we add it) and keeps no copy of its own.
 */
function recordNegotiatedVersion(transport: Transport): () => string | undefined {
  let negotiated: string | undefined;
  const target = transport as Transport & { setProtocolVersion?: (version: string) => void };
  const original = target.setProtocolVersion?.bind(transport);
  target.setProtocolVersion = (version: string) => {
    negotiated = version;
    original?.(version);
  };
  return () => negotiated;
}
