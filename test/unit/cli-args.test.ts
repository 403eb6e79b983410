/** The headless client's command line, including the conformance harness's `<command> <url>` form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliArgs, USAGE } from '../../src/cli/args';
import { PROTOCOL_PINS } from '../../src/core/config/serverDefinition';
import { scenarioCallsAll } from '../../src/cli/conformance';
import { sampleArguments } from '../../src/cli/sampleArguments';

test('a stdio server takes the rest of the command line, after the options', () => {
  const parsed = parseCliArgs(['--provider-url', 'http://127.0.0.1:1/v1', '--model', 'm', '--api-key-env', 'MY_KEY', '--call', 'sum', '--args', '{"a":1}', '--server', 'node', 'srv.js', '--flag']);
  assert.equal(parsed.ok, true);
  if (parsed.ok !== true) return;
  assert.deepEqual(parsed.options.server, { type: 'stdio', command: 'node', args: ['srv.js', '--flag'] });
  assert.equal(parsed.options.providerUrl, 'http://127.0.0.1:1/v1');
  assert.equal(parsed.options.model, 'm');
  assert.equal(parsed.options.apiKeyEnv, 'MY_KEY');
  assert.deepEqual(parsed.options.calls, [{ tool: 'sum', args: { a: 1 } }]);
  assert.equal(parsed.options.callAll, false);
});

test('the conformance form: a bare URL, with the scenario from the environment', () => {
  const initialize = parseCliArgs(['--provider-url', 'http://127.0.0.1:1/v1', 'http://localhost:3000/mcp'], { MCP_CONFORMANCE_SCENARIO: 'initialize' });
  assert.equal(initialize.ok, true);
  if (initialize.ok !== true) return;
  assert.deepEqual(initialize.options.server, { type: 'http', url: 'http://localhost:3000/mcp' });
  assert.equal(initialize.options.scenario, 'initialize');
  assert.equal(initialize.options.callAll, false);
  const tools = parseCliArgs(['http://localhost:3000/mcp'], { MCP_CONFORMANCE_SCENARIO: 'tools_call' });
  assert.equal(tools.ok === true && tools.options.callAll, true);
  assert.equal(scenarioCallsAll('sse-retry'), true);
  assert.equal(scenarioCallsAll('auth/metadata-default'), false);
  assert.equal(scenarioCallsAll(undefined), false);
});

test('mistakes are reported, not guessed', () => {
  const errors: [string[], RegExp][] = [
    [[], /Give a server/],
    [['--url', 'ftp://x'], /--url needs an http or https URL/],
    [['--url', 'http://a', 'http://b'], /Give one server/],
    [['--args', '{}', '--url', 'http://a'], /--args must follow a --call/],
    [['--call', 't', '--args', '[1]', '--url', 'http://a'], /must be a JSON object/],
    [['--call', 't', '--args', '{', '--url', 'http://a'], /not valid JSON/],
    [['--api-key-env', 'sk-abc-123', '--url', 'http://a'], /environment variable name/],
    [['--max-rounds', '0', '--url', 'http://a'], /--max-rounds/],
    [['--bogus', '--url', 'http://a'], /Unknown argument "--bogus"/],
    [['--server'], /--server needs a command/],
  ];
  for (const [argv, pattern] of errors) {
    const parsed = parseCliArgs(argv);
    assert.equal(parsed.ok, false, argv.join(' '));
    if (parsed.ok === false) assert.match(parsed.error, pattern);
  }
  assert.deepEqual(parseCliArgs(['--help']), { ok: 'help' });
});

test('an option missing its value names the option and what it needs, and --name=value works', () => {
  const errors: [string[], RegExp][] = [
    [['--model', '--url', 'http://a'], /^--model needs a model id$/],
    [['--url', 'http://a', '--call'], /^--call needs a tool name$/],
    [['--verbose=yes', '--url', 'http://a'], /^--verbose takes no value$/],
    [['--timeout', '0', '--url', 'http://a'], /^--timeout needs a number of seconds$/],
    [['--protocol', '2024', '--url', 'http://a'], /^--protocol needs one of auto, /],
    [['-x', '--url', 'http://a'], /^Unknown argument "-x"$/],
  ];
  for (const [argv, pattern] of errors) {
    const parsed = parseCliArgs(argv);
    assert.equal(parsed.ok, false, argv.join(' '));
    if (parsed.ok === false) assert.match(parsed.error, pattern, argv.join(' '));
  }
  const parsed = parseCliArgs(['--model=m', '--timeout=5', '--call', 'a', '--call', 'b', '--args', '{"x":1}', '--url=http://a/mcp', '--verbose']);
  assert.equal(parsed.ok, true);
  if (parsed.ok !== true) return;
  assert.equal(parsed.options.model, 'm');
  assert.equal(parsed.options.timeoutSeconds, 5);
  assert.deepEqual(parsed.options.calls, [{ tool: 'a', args: {} }, { tool: 'b', args: { x: 1 } }]);
  assert.deepEqual(parsed.options.server, { type: 'http', url: 'http://a/mcp' });
  assert.equal(parsed.options.verbose, true);
});

test('--call-all arguments: defaults, then enum, then a plain value of the type', () => {
  assert.deepEqual(
    sampleArguments({
      type: 'object',
      properties: {
        a: { type: 'number' },
        b: { type: 'integer', minimum: 5 },
        s: { type: 'string' },
        e: { type: 'string', enum: ['x', 'y'] },
        d: { type: 'string', default: 'dflt' },
        f: { type: 'boolean' },
        l: { type: 'array' },
        o: { type: 'object', properties: { n: { type: ['null', 'number'] } } },
      },
    }),
    { a: 1, b: 5, s: 'test', e: 'x', d: 'dflt', f: true, l: [], o: { n: 1 } },
  );
  assert.deepEqual(sampleArguments(undefined), {});
  assert.deepEqual(sampleArguments({ type: 'object' }), {});
});

test('the --protocol help lists every pin the definitions accept, from the one list', () => {
  const line = USAGE.split('\n').find((l) => l.trimStart().startsWith('--protocol'));
  assert.ok(line);
  for (const pin of PROTOCOL_PINS) assert.ok(line.includes(pin), `${pin} in ${line}`);
});
