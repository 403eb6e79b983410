/**
 * Command-line arguments of the headless client (`node dist/cli.js`). Pure: no I/O, so tests can
 * check every form. The conformance harness runs `<command> <server-url>` with the scenario name in
 * MCP_CONFORMANCE_SCENARIO; that form is accepted as a bare URL.
 */
import { PROTOCOL_PINS, type ProtocolPin } from '../core/config/serverDefinition';
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
  --protocol <revision>   auto (default: server/discover, else initialize), 2026-07-28 or 2025-11-25
  --accept-elicitation-defaults
                          answer form elicitations with the schema's defaults (default: decline them)
  --timeout <seconds>     per tool call (default 120)
  --verbose               log debug lines to stderr
  --help

--server takes the rest of the command line as the server command, so put it last.
Environment: MCP_CONFORMANCE_SCENARIO picks what to do when run by @modelcontextprotocol/conformance
(only its known scenario names; the elicitation scenario implies --accept-elicitation-defaults).`;

const MAX_ARGS_JSON = 1024 * 1024;

function httpUrl(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}


export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ParsedArgs {
  let server: CliOptions['server'] | undefined;
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  const roots: string[] = [];
  let providerUrl: string | undefined;
  let model: string | undefined;
  let apiKeyEnv: string | undefined;
  let maxRounds: number | undefined;
  let timeoutSeconds = 120;
  let verbose = false;
  let callAll = false;
  let protocol: ProtocolPin | undefined;
  let acceptElicitationDefaults = false;
  const scenario = env.MCP_CONFORMANCE_SCENARIO || undefined;
  if (scenario !== undefined && !CONFORMANCE_SCENARIOS.includes(scenario)) {
    return { ok: false, error: `MCP_CONFORMANCE_SCENARIO ${JSON.stringify(scenario.slice(0, 80))} is not a conformance scenario this client knows` };
  }
  // The suite's elicitation scenario checks that the schema's defaults are sent.
  if (scenario === 'elicitation-sep1034-client-defaults') acceptElicitationDefaults = true;

  const setServer = (value: CliOptions['server']): string | undefined => {
    if (server) return 'Give one server: --server, --url, --sse or a URL';
    server = value;
    return undefined;
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => argv[++i];
    let problem: string | undefined;
    switch (arg) {
      case '--help':
      case '-h':
        return { ok: 'help' };
      case '--server': {
        const command = argv[i + 1];
        if (!command) return { ok: false, error: '--server needs a command' };
        problem = setServer({ type: 'stdio', command, args: argv.slice(i + 2) });
        i = argv.length;
        break;
      }
      case '--url':
      case '--sse': {
        const raw = value();
        const url = raw === undefined ? undefined : httpUrl(raw);
        if (!url) return { ok: false, error: `${arg} needs an http or https URL` };
        problem = setServer({ type: arg === '--sse' ? 'sse' : 'http', url });
        break;
      }
      case '--provider-url': {
        const raw = value();
        providerUrl = raw === undefined ? undefined : httpUrl(raw);
        if (!providerUrl) return { ok: false, error: '--provider-url needs an http or https URL' };
        break;
      }
      case '--model':
        model = value();
        if (!model) return { ok: false, error: '--model needs a model id' };
        break;
      case '--api-key-env':
        apiKeyEnv = value();
        if (!apiKeyEnv || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv)) return { ok: false, error: '--api-key-env needs an environment variable name' };
        break;
      case '--call': {
        const tool = value();
        if (!tool) return { ok: false, error: '--call needs a tool name' };
        calls.push({ tool, args: {} });
        break;
      }
      case '--args': {
        const raw = value();
        const last = calls[calls.length - 1];
        if (!last) return { ok: false, error: '--args must follow a --call' };
        if (raw === undefined || raw.length > MAX_ARGS_JSON) return { ok: false, error: '--args needs a JSON object' };
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          return { ok: false, error: `--args for ${last.tool} is not valid JSON` };
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, error: `--args for ${last.tool} must be a JSON object` };
        last.args = parsed as Record<string, unknown>;
        break;
      }
      case '--call-all':
        callAll = true;
        break;
      case '--root': {
        const root = value();
        if (!root) return { ok: false, error: '--root needs a path' };
        roots.push(root);
        break;
      }
      case '--max-rounds': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 100) return { ok: false, error: '--max-rounds needs a whole number from 1 to 100' };
        maxRounds = n;
        break;
      }
      case '--timeout': {
        const n = Number(value());
        if (!Number.isFinite(n) || n <= 0 || n > 86_400) return { ok: false, error: '--timeout needs a number of seconds' };
        timeoutSeconds = n;
        break;
      }
      case '--verbose':
        verbose = true;
        break;
      case '--accept-elicitation-defaults':
        acceptElicitationDefaults = true;
        break;
      case '--protocol': {
        const raw = value();
        if (!(PROTOCOL_PINS as readonly (string | undefined)[]).includes(raw)) return { ok: false, error: `--protocol needs one of ${PROTOCOL_PINS.join(', ')}` };
        protocol = raw as ProtocolPin;
        break;
      }
      default: {
        const url = arg.startsWith('-') ? undefined : httpUrl(arg);
        if (!url) return { ok: false, error: `Unknown argument ${JSON.stringify(arg.slice(0, 100))}` };
        problem = setServer({ type: 'http', url });
      }
    }
    if (problem) return { ok: false, error: problem };
  }
  if (!server) return { ok: false, error: 'Give a server: --server <command...>, --url <url> or a URL' };
  return {
    ok: true,
    options: {
      server,
      calls,
      callAll: callAll || scenarioCallsAll(scenario),
      roots,
      timeoutSeconds,
      verbose,
      acceptElicitationDefaults,
      ...(protocol ? { protocol } : {}),
      ...(providerUrl ? { providerUrl } : {}),
      ...(model ? { model } : {}),
      ...(apiKeyEnv ? { apiKeyEnv } : {}),
      ...(maxRounds !== undefined ? { maxRounds } : {}),
      ...(scenario ? { scenario } : {}),
    },
  };
}
