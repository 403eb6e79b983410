/**
 * The headless client: the extension's core (ServerConnection, the sampling pipeline, the
 * OpenAI-compatible provider, the multi round-trip driver) without VS Code. Approval is automatic
 * and answers are not reviewed. Prints one JSON line per event on stdout; logs go to stderr.
 *
 *   node dist/cli.js --provider-url http://127.0.0.1:11434/v1 --call summarize --args '{"text":"…"}' --server node server.js
 *   conformance client --command "node dist/cli.js --provider-url …" --scenario tools_call
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServerDefinition } from '../core/config/serverDefinition';
import type { Logger } from '../core/logger';
import { ServerConnection } from '../core/mcp/connection';
import { MemoryTokenStore } from '../core/mcp/oauth';
import { createElicitationHandler } from '../core/mcp/protocolExtensions';
import { createProvider } from '../core/providers/factories';
import { ProviderRegistry } from '../core/providers/registry';
import { decliningElicitationPrompter, headlessElicitationPrompter } from '../core/rounds/elicitation';
import { samplingSettingsFrom } from '../core/sampling/settings';
import { createSamplingStack } from '../core/sampling/stack';
import { rawSettingsFrom } from '../core/settings';
import { parseCliArgs, USAGE, type CliOptions } from './args';
import { scenarioCalls } from './conformance';
import { HeadlessPrompter } from './headlessPrompter';
import { conformanceClientCredentials, createHeadlessAuthorizationUi } from './headlessAuthorization';
import { sampleArguments } from './sampleArguments';
import { jsonLine, terminalSafe } from './terminalText';
import { PRODUCT_VERSION } from '../core/version';

const PROVIDER_ID = 'cli';
const SERVER_SOURCE = 'command line';

function stderrLogger(verbose: boolean): Logger {
  // Server stderr and log messages pass through here: no escape sequence of theirs reaches the terminal.
  const write = (level: string) => (message: string | Error) => process.stderr.write(`[${level}] ${terminalSafe(message instanceof Error ? message.message : message)}\n`);
  return { trace: () => {}, debug: verbose ? write('debug') : () => {}, info: write('info'), warn: write('warn'), error: write('error') };
}

function emit(event: Record<string, unknown>): void {
  process.stdout.write(jsonLine(event));
}

function definitionFor(options: CliOptions): ServerDefinition {
  const base = { source: SERVER_SOURCE, disabled: false };
  if (options.server.type === 'stdio') {
    return { ...base, name: path.basename(options.server.command) || 'server', type: 'stdio', command: options.server.command, args: options.server.args, env: {} };
  }
  return { ...base, name: new URL(options.server.url).host, type: options.server.type, url: options.server.url, headers: {} };
}

function withProtocol(definition: ServerDefinition, options: CliOptions): ServerDefinition {
  return options.protocol && options.protocol !== 'auto' ? { ...definition, protocol: options.protocol } : definition;
}

export async function runCli(options: CliOptions, logger: Logger, signal: AbortSignal): Promise<number> {
  const definition = withProtocol(definitionFor(options), options);
  const apiKey = options.apiKeyEnv ? process.env[options.apiKeyEnv] : undefined;
  if (options.apiKeyEnv && !apiKey) logger.warn(`The environment variable ${options.apiKeyEnv} is not set; calling the provider without a key`);
  const registry = new ProviderRegistry(logger);
  if (options.providerUrl) {
    registry.register(
      createProvider(
        { kind: 'openai-compatible', id: PROVIDER_ID, label: 'Command-line provider', baseUrl: options.providerUrl, ...(options.model ? { defaultModel: options.model } : {}) },
        { getApiKey: async () => apiKey, logger },
      ),
    );
  }
  // The CLI's settings, validated by the same table as the editor's (defaults for the rest).
  const settings = samplingSettingsFrom(
    rawSettingsFrom({
      approval: 'auto',
      reviewResponses: false,
      defaultProvider: options.providerUrl ? PROVIDER_ID : 'manual',
      serverSampling: options.model ? { [definition.name]: { model: options.model } } : {},
    }),
  );
  const sampling = createSamplingStack({
    serverSource: () => SERVER_SOURCE,
    config: { get: () => settings },
    providers: registry,
    prompter: new HeadlessPrompter(logger),
    logger,
    secrets: () => (apiKey ? [apiKey] : []),
  });
  const roots = options.roots.map((root) => {
    const absolute = path.resolve(root);
    return { uri: pathToFileURL(absolute).href, name: path.basename(absolute) };
  });
  // OAuth for HTTP servers: headless sign-in, tokens only in memory for this run.
  const clientInformation = options.scenario ? conformanceClientCredentials(process.env) : undefined;
  const oauth =
    definition.type === 'stdio' ? undefined : { store: new MemoryTokenStore(), ui: createHeadlessAuthorizationUi(undefined, fetch, new URL(definition.url)), ...(clientInformation ? { clientInformation } : {}) };
  // Nobody is here to fill in a form: decline unless the caller agreed to send the schema's defaults.
  const elicitation = options.acceptElicitationDefaults ? headlessElicitationPrompter : decliningElicitationPrompter;
  const connection = new ServerConnection({
    definition,
    logger,
    ...(oauth ? { oauth } : {}),
    samplingHandler: sampling.handler,
    inputRequiredSamplingHandler: sampling.inputRequiredHandler,
    ...(roots.length > 0 ? { rootsSource: { listRoots: () => roots } } : {}),
    samplingTools: true,
    elicitationHandler: createElicitationHandler(elicitation),
    elicitationModes: { form: true },
    clientInfo: { name: 'mcp-sampling-client-cli', version: PRODUCT_VERSION },
  });
  const closeOnAbort = () => void connection.close();
  signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    const state = await connection.connect();
    if (state.status !== 'connected') {
      emit({ event: 'error', message: state.error ?? `not connected (${state.status})` });
      return 1;
    }
    emit({ event: 'connected', server: definition.name, transport: state.transport, protocolVersion: state.protocolVersion, serverInfo: state.serverInfo, tools: connection.tools.map((t) => t.name) });
    const calls = [...options.calls];
    const asked = scenarioCalls(options.scenario, process.env['MCP_CONFORMANCE_CONTEXT'], connection.tools);
    if (asked) calls.push(...asked);
    else if (options.callAll) for (const tool of connection.tools) calls.push({ tool: tool.name, args: sampleArguments(tool.inputSchema) });
    let failures = 0;
    for (const call of calls) {
      if (signal.aborted) break;
      try {
        // The connection runs input_required rounds (either revision) and a sign-in asked for on the call.
        const result = await connection.callTool(call.tool, call.args, {
          signal,
          timeoutMs: options.timeoutSeconds * 1000,
          ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}),
        });
        emit({ event: 'result', tool: call.tool, result });
      } catch (error) {
        failures++;
        emit({ event: 'error', tool: call.tool, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    signal.removeEventListener('abort', closeOnAbort);
    await connection.close();
  }
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2), process.env);
  if (parsed.ok === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = stderrLogger(parsed.options.verbose);
  if (parsed.options.scenario) logger.info(`conformance scenario ${parsed.options.scenario}`);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('Interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.exitCode = await runCli(parsed.options, logger, controller.signal);
  // Lingering sockets or timers of a misbehaving server must not keep the process alive.
  setTimeout(() => process.exit(), 200).unref();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
