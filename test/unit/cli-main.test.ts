/**
 * The headless client as a real process: built with esbuild from src/cli/main.ts, it connects to
 * real fixture servers over stdio and answers sampling from a loopback OpenAI-compatible stub, by
 * both routes (server-initiated requests, and 2026-07-28 input_required rounds).
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';

const root = path.resolve(__dirname, '../../..');
const cliPath = path.join(root, 'out/test/cli/cli.js');
const fixture = (name: string) => path.join(root, 'out/test/fixtures', name);
let stub: OpenAiStub;

before(async () => {
  await esbuild.build({ entryPoints: [path.join(root, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', outfile: cliPath, logLevel: 'warning' });
  stub = await startOpenAiStub({ apiKey: 'sk-cli-test-secret' });
});
after(() => stub.close());

interface Run {
  code: number | null;
  events: Record<string, unknown>[];
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli did not finish in time; stderr:\n${stderr}`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolve({ code, events, stderr });
    });
  });
}

const textOf = (event: Record<string, unknown> | undefined) => ((event?.result as { content?: { text?: string }[] })?.content?.[0]?.text ?? '');

test('input_required rounds: sampling, roots and a form answered headlessly, with the key from the environment', async () => {
  const run = await runCli(
    ['--provider-url', stub.baseUrl, '--model', 'echo-model', '--api-key-env', 'CLI_TEST_KEY', '--accept-elicitation-defaults', '--root', root, '--call', 'summarize', '--args', '{"text":"the report"}', '--call', 'plan_trip', '--call', 'ask_unknown', '--server', process.execPath, fixture('roundsServer.js')],
    { CLI_TEST_KEY: 'sk-cli-test-secret' },
  );
  assert.equal(run.events[0]?.event, 'connected', run.stderr);
  const [summarize, plan, unknown] = run.events.slice(1);
  assert.equal(textOf(summarize), 'Summary: echo: Summarize: the report');
  assert.equal(textOf(plan), 'Plan: echo: Plan 3 nights in Lisbon for a user with 1 roots');
  assert.equal(unknown?.event, 'error');
  assert.match(String(unknown?.message), /does not support/);
  // One call failed, so the exit code says so.
  assert.equal(run.code, 1);
  assert.ok(!run.stderr.includes('sk-cli-test-secret') && !JSON.stringify(run.events).includes('sk-cli-test-secret'));
  assert.ok(stub.requests.some((r) => r.headers.authorization === 'Bearer sk-cli-test-secret'));
});

test('server-initiated sampling (2025-11-25) goes through the same pipeline', async () => {
  const run = await runCli(['--provider-url', stub.baseUrl, '--model', 'echo-model', '--api-key-env', 'CLI_TEST_KEY', '--call', 'sample', '--args', '{"prompt":"hi there"}', '--server', process.execPath, fixture('samplingServer.js')], {
    CLI_TEST_KEY: 'sk-cli-test-secret',
  });
  assert.equal(run.code, 0, run.stderr);
  const sampled = JSON.parse(textOf(run.events[1])) as { model: string; content: { text: string } };
  assert.equal(sampled.model, 'echo-model');
  assert.equal(sampled.content.text, 'echo: hi there');
});

test('without a provider, sampling is refused with a clear reason and the call fails', async () => {
  const run = await runCli(['--call', 'summarize', '--args', '{"text":"x"}', '--server', process.execPath, fixture('roundsServer.js')]);
  assert.equal(run.code, 1);
  assert.equal(run.events[1]?.event, 'error');
  assert.match(String(run.events[1]?.message), /No model provider is configured/);
});

test('an unreachable server ends with an error event and exit code 1', async () => {
  const run = await runCli(['--url', 'http://127.0.0.1:9/mcp']);
  assert.equal(run.code, 1);
  assert.equal(run.events[0]?.event, 'error');
});

const modern = fixture('modernServer.js');
const KEY = { CLI_TEST_KEY: 'sk-cli-test-secret' };

test('MCP 2026-07-28: the CLI discovers the revision and answers input_required through the connection', async () => {
  const run = await runCli(['--provider-url', stub.baseUrl, '--api-key-env', 'CLI_TEST_KEY', '--model', 'echo-model', '--call', 'summarize', '--args', '{"text":"the notes"}', '--call', 'compare', '--server', process.execPath, modern], KEY);
  assert.equal(run.events[0]?.event, 'connected', run.stderr);
  assert.equal(run.events[0]?.protocolVersion, '2026-07-28');
  assert.equal(textOf(run.events[1]), 'Summary: echo: Summarize: the notes', JSON.stringify(run.events));
  assert.match(textOf(run.events[2]), /^A: echo: Describe A \| B: echo: Describe B$/);
  assert.equal(run.code, 0);
});

test('form elicitations are declined unless --accept-elicitation-defaults', async () => {
  const declined = await runCli(['--provider-url', stub.baseUrl, '--api-key-env', 'CLI_TEST_KEY', '--call', 'confirm_then_summarize', '--server', process.execPath, modern], KEY);
  assert.equal(textOf(declined.events[1]), 'Not confirmed (decline)', declined.stderr);
  const accepted = await runCli(['--provider-url', stub.baseUrl, '--api-key-env', 'CLI_TEST_KEY', '--accept-elicitation-defaults', '--call', 'confirm_then_summarize', '--server', process.execPath, modern], KEY);
  assert.match(textOf(accepted.events[1]), /^accept: echo: Summarize the release notes\.$/, accepted.stderr);
});

test('escape sequences in server stderr never reach the terminal', async () => {
  const hostile = '\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x9b31m visible';
  const run = await runCli(['--server', process.execPath, modern, '--stderr-line', hostile]);
  assert.equal(run.events[0]?.event, 'connected', run.stderr);
  const line = run.stderr.split('\n').find((l) => l.includes('modern fixture'));
  assert.ok(line, run.stderr);
  // eslint-disable-next-line no-control-regex -- looking for control characters
  assert.ok(!/[\x1b\x07\x9b]/.test(run.stderr), `no control character survives: ${JSON.stringify(line)}`);
  assert.match(line, /click/);
  assert.match(line, /visible/);
});

test('conformance mode only for the suite\'s own scenario names', async () => {
  const run = await runCli(['http://127.0.0.1:9/mcp'], { MCP_CONFORMANCE_SCENARIO: 'call-every-tool-please' });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /is not a conformance scenario this client knows/);
  assert.deepEqual(run.events, []);
});
