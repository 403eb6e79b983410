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
    ['--provider-url', stub.baseUrl, '--model', 'echo-model', '--api-key-env', 'CLI_TEST_KEY', '--root', root, '--call', 'summarize', '--args', '{"text":"the report"}', '--call', 'plan_trip', '--call', 'ask_unknown', '--server', process.execPath, fixture('roundsServer.js')],
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
