/**
 * The MCP conformance suite's client scenarios (@modelcontextprotocol/conformance) against the
 * headless client (dist/cli.js: the extension's core connection and sampling pipeline, auto-approving,
 * answering with the loopback OpenAI-compatible stub). The suite needs Node 22+, so it runs on the
 * harness's Node 24. The auth/* scenarios listed run the OAuth sign-in at connect
 * (the CLI signs in headlessly) and during the session (step-up);
 * CIMD (basic-cimd) and the client-credentials extensions are not supported.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { harnessPaths, repoRoot } from '../harness/paths';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';

const run = promisify(execFile);
const SCENARIOS = [
  'initialize',
  'tools_call',
  'elicitation-sep1034-client-defaults',
  'sse-retry',
  // OAuth at connect (headless sign-in: the code is taken from the authorization redirect).
  'auth/metadata-default',
  'auth/metadata-var1',
  'auth/metadata-var2',
  'auth/metadata-var3',
  'auth/scope-from-www-authenticate',
  'auth/scope-from-scopes-supported',
  'auth/scope-omitted-when-undefined',
  'auth/token-endpoint-auth-basic',
  'auth/token-endpoint-auth-post',
  'auth/token-endpoint-auth-none',
  'auth/pre-registration',
  'auth/2025-03-26-oauth-metadata-backcompat',
  'auth/2025-03-26-oauth-endpoint-fallback',
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  // Sign-in asked for during the session (401 after initialize, 403 insufficient_scope on a call).
  'auth/scope-step-up',
  'auth/scope-retry-limit',
];

describe('MCP conformance client scenarios against the headless client', () => {
  let stub: OpenAiStub;
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  const suite = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

  before(async () => {
    assert.ok(existsSync(cli), `${cli} is built by npm run build`);
    stub = await startOpenAiStub();
  });

  after(async () => {
    await stub?.close();
  });

  for (const scenario of SCENARIOS) {
    it(scenario, async () => {
      const command = `${process.execPath} ${cli} --provider-url ${stub.baseUrl} --model stub-echo`;
      const { stdout, stderr } = await run(harnessPaths().node24Bin, [suite, 'client', '--command', command, '--scenario', scenario], { timeout: 120_000, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }).catch(
        (err: { stdout?: string; stderr?: string; message: string }) => {
          throw new Error(`${scenario} failed:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`);
        },
      );
      // The suite prints its verdict on stdout or stderr depending on the version: read both.
      const output = `${stdout}\n${stderr}`;
      assert.match(output, /OVERALL: PASSED/, output.slice(-2000));
      assert.match(output, /Passed: (\d+)\/\1, 0 failed/);
    });
  }
});
