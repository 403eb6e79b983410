/**
 * Command-line arguments of the headless client (`node dist/cli.js`). Pure: no I/O, so tests can
 * check every form. The conformance harness runs `<command> <server-url>` with the scenario name in
 * MCP_CONFORMANCE_SCENARIO; that form is accepted as a bare URL.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PROTOCOL_PINS, type ProtocolPin } from '../core/config/serverDefinition';
import { isRecord } from '../shared/isRecord';
import { CONFORMANCE_SCENARIOS, scenarioCallsAll } from './conformance';

export interface CliOptions {
  readonly server: { readonly type: 'stdio'; readonly command: string; readonly args: readonly string[] } | { readonly type: 'http' | 'sse'; readonly url: string };
  readonly providerUrl?: string;
  readonly model?: string;
  /** The name of the environment variable holding the API key (the key itself never appears in argv). */
  readonly apiKeyEnv?: string;
  /** Tools to call, in order, each with its JSON arguments. */
  readonly calls: readonly { readonly tool: string; readonly args: Record<string, unknown> }[];
  /** Call every tool the server lists, with arguments made from each input schema. */
  readonly callAll: boolean;
  readonly roots: readonly string[];
  readonly maxRounds?: number;
  readonly timeoutSeconds: number;
  readonly verbose: boolean;
  /** The conformance scenario, from MCP_CONFORMANCE_SCENARIO (one of CONFORMANCE_SCENARIOS). */
  readonly scenario?: string;
  /** Which MCP revision to speak (default `auto`: server/discover, else initialize). */
  readonly protocol?: ProtocolPin;
  /** Answer form elicitations with the schema's defaults instead of declining them. */
  readonly acceptElicitationDefaults: boolean;
}

export type ParsedArgs = { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly error: string } | { readonly ok: 'help' };

export const USAGE = `Usage:
  cli (--server <command> [args...] | --url <http(s) url> | --sse <url> | <http(s) url>) [options]

Connects to one MCP server as the MCP Sampling Client core would, answers its sampling requests
(server-initiated and 2026-07-28 input_required rounds) without asking, and prints JSON lines.

Options:
  --provider-url <url>    OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1
  --model <id>            the model to use (default: the provider's first model)
  --api-key-env <NAME>    read the API key from this environment variable
  --call <tool>           call a tool (repeatable); its arguments from the next --args
  --args <json>           JSON object of arguments for the preceding --call
  --call-all              call every listed tool with arguments made from its input schema
  --root <path>           offer this directory as a root (repeatable)
  --max-rounds <n>        input_required rounds per call (default 10)
  --protocol <revision>   ${PROTOCOL_PINS.join(', ')} (default ${PROTOCOL_PINS[0]}: server/discover, else initialize)
  --accept-elicitation-defaults
                          answer form elicitations with the schema's defaults (default: decline them)
  --timeout <seconds>     per tool call (default 120)
  --verbose               log debug lines to stderr
  --help

--server takes the rest of the command line as the server command, so put it last.
Environment: MCP_CONFORMANCE_SCENARIO picks what to do when run by @modelcontextprotocol/conformance
(only its known scenario names; the elicitation scenario implies --accept-elicitation-defaults).`;

const MAX_ARGS_JSON = 1024 * 1024;

/** The options `node:util.parseArgs` reads, each string option with what it needs (for its error). */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string', multiple: true },
  sse: { type: 'string', multiple: true },
  'provider-url': { type: 'string' },
  model: { type: 'string' },
  'api-key-env': { type: 'string' },
  call: { type: 'string', multiple: true },
  args: { type: 'string', multiple: true },
  'call-all': { type: 'boolean' },
  root: { type: 'string', multiple: true },
  'max-rounds': { type: 'string' },
  protocol: { type: 'string' },
  'accept-elicitation-defaults': { type: 'boolean' },
  timeout: { type: 'string' },
  verbose: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const NEEDS: Readonly<Record<string, string>> = {
  url: 'an http or https URL',
  sse: 'an http or https URL',
  'provider-url': 'an http or https URL',
  model: 'a model id',
  'api-key-env': 'an environment variable name',
  call: 'a tool name',
  args: 'a JSON object',
  root: 'a path',
  'max-rounds': 'a whole number from 1 to 100',
  protocol: `one of ${PROTOCOL_PINS.join(', ')}`,
  timeout: 'a number of seconds',
};

class ArgumentError extends Error {}

const needs = (name: string): ArgumentError => new ArgumentError(`--${name} needs ${NEEDS[name] ?? 'a value'}`);

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function requireHttpUrl(name: string, value: string): string {
  const url = httpUrl(value);
  if (!url) throw needs(name);
  return url;
}

/** Where `--server` starts the server's own command line (not where it is the value of an option). */
function serverIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--server') return i;
    const option = OPTIONS[arg.slice(2) as keyof typeof OPTIONS] as { type: string } | undefined;
    if (arg.startsWith('--') && !arg.includes('=') && option?.type === 'string') i++;
  }
  return -1;
}

/** parseArgs' own errors, reworded to name the option and what it needs. */
function argumentError(err: unknown): ArgumentError {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'--?([A-Za-z-]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new ArgumentError(`Unknown argument ${JSON.stringify(`${option.length > 1 ? '--' : '-'}${option}`.slice(0, 100))}`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return (OPTIONS as Record<string, { type: string }>)[option]?.type === 'boolean' ? new ArgumentError(`--${option} takes no value`) : needs(option);
  }
  return new ArgumentError(message);
}

/** `--call` and `--args` in command-line order: each `--args` belongs to the `--call` before it. */
function toolCalls(tokens: readonly { kind: string; name?: string; value?: string | undefined }[]): { tool: string; args: Record<string, unknown> }[] {
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'call') {
      if (!token.value) throw needs('call');
      calls.push({ tool: token.value, args: {} });
    } else if (token.name === 'args') {
      const last = calls[calls.length - 1];
      if (!last) throw new ArgumentError('--args must follow a --call');
      const raw = token.value ?? '';
      if (raw.length > MAX_ARGS_JSON) throw needs('args');
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new ArgumentError(`--args for ${last.tool} is not valid JSON`);
      }
      if (!isRecord(parsed)) throw new ArgumentError(`--args for ${last.tool} must be a JSON object`);
      last.args = parsed;
    }
  }
  return calls;
}

function numberOption(name: string, raw: string | undefined, valid: (n: number) => boolean): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!valid(n)) throw needs(name);
  return n;
}

function scenarioFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const scenario = env.MCP_CONFORMANCE_SCENARIO || undefined;
  if (scenario !== undefined && !CONFORMANCE_SCENARIOS.includes(scenario)) {
    throw new ArgumentError(`MCP_CONFORMANCE_SCENARIO ${JSON.stringify(scenario.slice(0, 80))} is not a conformance scenario this client knows`);
  }
  return scenario;
}

function parse(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliOptions | 'help' {
  const scenario = scenarioFrom(env);
  const at = serverIndex(argv);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; tokens: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: at === -1 ? [...argv] : argv.slice(0, at), options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw argumentError(err);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return 'help';
  const servers: CliOptions['server'][] = [
    ...(values.url ?? []).map((url) => ({ type: 'http' as const, url: requireHttpUrl('url', url) })),
    ...(values.sse ?? []).map((url) => ({ type: 'sse' as const, url: requireHttpUrl('sse', url) })),
    ...positionals.map((arg) => {
      const url = httpUrl(arg);
      if (!url) throw new ArgumentError(`Unknown argument ${JSON.stringify(arg.slice(0, 100))}`);
      return { type: 'http' as const, url };
    }),
  ];
  if (at !== -1) {
    const command = argv[at + 1];
    if (!command) throw new ArgumentError('--server needs a command');
    servers.push({ type: 'stdio', command, args: argv.slice(at + 2) });
  }
  if (servers.length > 1) throw new ArgumentError('Give one server: --server, --url, --sse or a URL');
  const server = servers[0];
  if (!server) throw new ArgumentError('Give a server: --server <command...>, --url <url> or a URL');

  const apiKeyEnv = values['api-key-env'];
  if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) throw needs('api-key-env');
  const protocol = values.protocol;
  if (protocol !== undefined && !(PROTOCOL_PINS as readonly string[]).includes(protocol)) throw needs('protocol');
  if (values.model === '') throw needs('model');
  if (values.root?.some((root) => root === '')) throw needs('root');
  const providerUrl = values['provider-url'] === undefined ? undefined : requireHttpUrl('provider-url', values['provider-url']);
  const maxRounds = numberOption('max-rounds', values['max-rounds'], (n) => Number.isInteger(n) && n >= 1 && n <= 100);
  const timeoutSeconds = numberOption('timeout', values.timeout, (n) => Number.isFinite(n) && n > 0 && n <= 86_400) ?? 120;
  return {
    server,
    calls: toolCalls(tokens),
    callAll: values['call-all'] === true || scenarioCallsAll(scenario),
    roots: values.root ?? [],
    timeoutSeconds,
    verbose: values.verbose === true,
    // The suite's elicitation scenario checks that the schema's defaults are sent.
    acceptElicitationDefaults: values['accept-elicitation-defaults'] === true || scenario === 'elicitation-sep1034-client-defaults',
    ...(protocol ? { protocol: protocol as ProtocolPin } : {}),
    ...(providerUrl ? { providerUrl } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(apiKeyEnv ? { apiKeyEnv } : {}),
    ...(maxRounds !== undefined ? { maxRounds } : {}),
    ...(scenario ? { scenario } : {}),
  };
}

/** The options of a command line (`node:util.parseArgs` reads it), or the first mistake in it, said plainly. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  try {
    const options = parse(argv, env);
    return options === 'help' ? { ok: 'help' } : { ok: true, options };
  } catch (err) {
    if (err instanceof ArgumentError) return { ok: false, error: err.message };
    throw err;
  }
}
