/**
 * The MCP conformance suite's client scenarios (@modelcontextprotocol/conformance) against the
 * headless client (dist/cli.js: the extension's core connection and sampling pipeline, auto-approving,
 * answering with the loopback OpenAI-compatible stub). Two versions of the suite: 0.1.16 (npm's
 * `latest`, the 2025-11-25 wire) and 0.2.0-alpha.12 (installed as `conformance-next`), whose
 * scenarios run at each revision they apply to, 2025-11-25 (`initialize`) and 2026-07-28 (stateless,
 * `server/discover`). The suite needs Node 22+, so it runs on the harness's Node 24.
 *
 * Every scenario either passes (all checks SUCCESS) or is a known non-pass: then exactly the listed
 * checks fail or warn, each with the reason (a spec point we do not implement, or an extension).
 * The alpha's own list is compared with the table, so a scenario it adds cannot go unrun.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { harnessPaths, repoRoot } from '../harness/paths';
import { startOpenAiStub, type OpenAiStub } from '../fixtures/openaiStub';
import { CONFORMANCE_SCENARIOS } from '../../src/cli/conformance';

const run = promisify(execFile);

type Revision = '2025-11-25' | '2026-07-28';

interface Scenario {
  readonly name: string;
  /** `--spec-version`; none: the suite's default for the scenario. */
  readonly revision?: Revision;
  /** Check id → why it does not pass. Empty or absent: every check must pass. */
  readonly nonPass?: Readonly<Record<string, string>>;
}

const NO_CIMD = 'Client ID Metadata Documents (SEP-991) are not used: the client would need an HTTPS URL of its own to publish the document; it registers dynamically instead (a SHOULD)';
const NO_CLIENT_CREDENTIALS = 'extension: the client_credentials grant (machine-to-machine) is not implemented; this client signs a person in';
const NO_ENTERPRISE = 'extension: enterprise-managed authorization (token exchange + JWT bearer) is not implemented';
const NO_DPOP = 'extension: DPoP-bound tokens (SEP-1932) are not implemented; the SDK 1.x has no DPoP';
const NO_WIF = 'extension: workload identity federation (JWT bearer grant) is not implemented';

const cimd = { 'cimd-client-id-used': NO_CIMD };
const clientCredentials = (proof: string) => ({ 'client-credentials-grant-type': NO_CLIENT_CREDENTIALS, [proof]: NO_CLIENT_CREDENTIALS });
const dpop = { 'sep-1932-client-token-request-proof': NO_DPOP, 'sep-1932-client-dpop-auth-scheme': NO_DPOP, 'sep-1932-client-fresh-proof': NO_DPOP };

/** 0.1.16: all at the 2025-11-25 wire. */
const LATEST: readonly Scenario[] = [
  { name: 'initialize' },
  { name: 'tools_call' },
  { name: 'elicitation-sep1034-client-defaults' },
  { name: 'sse-retry' },
  ...[
    'auth/metadata-default',
    'auth/metadata-var1',
    'auth/metadata-var2',
    'auth/metadata-var3',
    'auth/scope-from-www-authenticate',
    'auth/scope-from-scopes-supported',
    'auth/scope-omitted-when-undefined',
    'auth/scope-step-up',
    'auth/scope-retry-limit',
    'auth/token-endpoint-auth-basic',
    'auth/token-endpoint-auth-post',
    'auth/token-endpoint-auth-none',
    'auth/pre-registration',
    'auth/2025-03-26-oauth-metadata-backcompat',
    'auth/2025-03-26-oauth-endpoint-fallback',
    'auth/resource-mismatch',
    'auth/offline-access-scope',
    'auth/offline-access-not-supported',
  ].map((name) => ({ name })),
  { name: 'auth/basic-cimd', nonPass: cimd },
  { name: 'auth/client-credentials-jwt', nonPass: clientCredentials('client-credentials-jwt-verified') },
  { name: 'auth/client-credentials-basic', nonPass: clientCredentials('client-credentials-basic-auth') },
  { name: 'auth/cross-app-access-complete-flow', nonPass: { 'complete-flow-token-exchange': NO_ENTERPRISE, 'complete-flow-jwt-bearer': NO_ENTERPRISE } },
];

const both = (name: string, nonPass?: Record<string, string>): Scenario[] => (['2025-11-25', '2026-07-28'] as const).map((revision) => ({ name, revision, ...(nonPass ? { nonPass } : {}) }));
const modern = (name: string): Scenario => ({ name, revision: '2026-07-28' });

/** 0.2.0-alpha.12: each scenario at each revision it lists (the others at the suite's default). */
const NEXT: readonly Scenario[] = [
  { name: 'initialize', revision: '2025-11-25' },
  ...both('tools_call'),
  { name: 'elicitation-sep1034-client-defaults', revision: '2025-11-25' },
  { name: 'sse-retry', revision: '2025-11-25' },
  modern('request-metadata'),
  ...['auth/metadata-default', 'auth/metadata-var1', 'auth/metadata-var2', 'auth/metadata-var3'].flatMap((name) => both(name)),
  ...both('auth/basic-cimd', cimd),
  ...['auth/scope-from-www-authenticate', 'auth/scope-from-scopes-supported', 'auth/scope-omitted-when-undefined', 'auth/scope-step-up', 'auth/scope-retry-limit'].flatMap((name) => both(name)),
  ...['auth/token-endpoint-auth-basic', 'auth/token-endpoint-auth-post', 'auth/token-endpoint-auth-none', 'auth/pre-registration'].flatMap((name) => both(name)),
  { name: 'auth/2025-03-26-oauth-metadata-backcompat' },
  { name: 'auth/2025-03-26-oauth-endpoint-fallback' },
  ...[
    'auth/resource-mismatch',
    'auth/offline-access-scope',
    'auth/offline-access-not-supported',
    'auth/authorization-server-migration',
    'auth/iss-supported',
    'auth/iss-not-advertised',
    'auth/iss-supported-missing',
    'auth/iss-wrong-issuer',
    'auth/iss-unexpected',
    'auth/iss-normalized',
    'auth/metadata-issuer-mismatch',
  ].map(modern),
  { name: 'auth/client-credentials-jwt', nonPass: clientCredentials('client-credentials-jwt-verified') },
  { name: 'auth/client-credentials-basic', nonPass: clientCredentials('client-credentials-basic-auth') },
  { name: 'auth/enterprise-managed-authorization', nonPass: { 'complete-flow-token-exchange': NO_ENTERPRISE, 'complete-flow-jwt-bearer': NO_ENTERPRISE } },
  { name: 'auth/dpop', nonPass: dpop },
  {
    name: 'auth/dpop-nonce',
    nonPass: { ...dpop, 'sep-1932-client-as-nonce': NO_DPOP, 'sep-1932-client-rs-nonce': NO_DPOP },
  },
  { name: 'auth/wif-jwt-bearer', nonPass: { 'wif-grant-type': NO_WIF } },
  modern('sep-2322-client-request-state'),
  modern('http-standard-headers'),
  modern('http-custom-headers'),
  modern('http-invalid-tool-headers'),
  modern('json-schema-ref-no-deref'),
  ...both('json-schema-2020-12-preservation'),
  // The skills extension (SEP-2640): not implemented; these scenarios pass with no check run (all SKIPPED).
  { name: 'sep-2640-client-no-prefetch' },
  { name: 'sep-2640-client-verify-digest' },
  { name: 'sep-2640-client-verify-size' },
  { name: 'sep-2640-client-verify-frontmatter' },
];

interface Check {
  readonly id: string;
  readonly status: string;
}

/** The checks the suite printed (`<time> [<id>] <STATUS> <description>`), colours removed. */
function parseChecks(output: string): Check[] {
  // eslint-disable-next-line no-control-regex -- the suite colours its output with ANSI escapes
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  return [...plain.matchAll(/^\S+ \[([^\]]+?)\s*\] (SUCCESS|FAILURE|WARNING|INFO|SKIPPED)\b/gm)].map((m) => ({ id: m[1]!, status: m[2]! }));
}

const suiteEntry = (pkg: string) => path.join(repoRoot, 'node_modules', '@modelcontextprotocol', pkg, 'dist', 'index.js');

/** The alpha's client scenarios and the runs the rule above makes of them. */
async function listedRuns(suite: string): Promise<string[]> {
  const { stdout } = await run(harnessPaths().node24Bin, [suite, 'list', '--client'], { cwd: repoRoot });
  return [...stdout.matchAll(/^\s+- (\S+) \[([^\]]*)\]$/gm)].flatMap((m) => {
    const revisions = m[2]!.split(',').filter((v) => v === '2025-11-25' || v === '2026-07-28');
    return revisions.length ? revisions.map((r) => `${m[1]}@${r}`) : [`${m[1]}@default`];
  });
}

function defineSuite(title: string, pkg: string, scenarios: readonly Scenario[], concurrency: number): void {
  describe(title, { concurrency }, () => {
    let stub: OpenAiStub;
    const cli = path.join(repoRoot, 'dist', 'cli.js');
    const suite = suiteEntry(pkg);

    before(async () => {
      assert.ok(existsSync(cli), `${cli} is built by npm run build`);
      assert.ok(existsSync(suite), `${suite} is installed by npm ci`);
      stub = await startOpenAiStub();
    });

    after(async () => {
      await stub?.close();
    });

    for (const scenario of scenarios) {
      const known = Object.entries(scenario.nonPass ?? {});
      const label = `${scenario.name}${scenario.revision ? ` at ${scenario.revision}` : ''}${known.length ? ' (known non-pass)' : ''}`;
      it(label, async () => {
        const command = `${process.execPath} ${cli} --provider-url ${stub.baseUrl} --model stub-echo`;
        const args = [suite, 'client', '--command', command, '--scenario', scenario.name, '--timeout', '60000', ...(scenario.revision ? ['--spec-version', scenario.revision] : [])];
        const { stdout, stderr } = await run(harnessPaths().node24Bin, args, { timeout: 120_000, cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 }).catch(
          (err: { stdout?: string; stderr?: string; message: string }) => ({ stdout: err.stdout ?? '', stderr: `${err.stderr ?? ''}\n${err.message}` }),
        );
        // The suite prints its verdict on stdout or stderr depending on the version: read both.
        const output = `${stdout}\n${stderr}`;
        assert.doesNotMatch(output, /SKIPPED: scenario '.*' is not applicable/, `${scenario.name} ran (not skipped as inapplicable)`);
        const checks = parseChecks(output);
        const notPassing = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING').map((c) => c.id);
        if (known.length === 0) {
          assert.deepEqual(notPassing, [], output.slice(-3000));
          assert.match(output, /OVERALL: PASSED/, output.slice(-2000));
          assert.match(output, /Passed: (\d+)\/\1, 0 failed, 0 warnings/);
        } else {
          // Exactly the known checks fail or warn, for the reasons given; every other check passes.
          assert.deepEqual([...new Set(notPassing)].sort(), known.map(([id]) => id).sort(), output.slice(-3000));
          assert.match(output, /OVERALL: FAILED/);
        }
      });
    }
  });
}

// Runs are mostly waiting (two processes per run, on loopback): two at a time.
defineSuite('MCP conformance 0.1.16 client scenarios against the headless client', 'conformance', LATEST, 2);
defineSuite('MCP conformance 0.2.0-alpha.12 client scenarios against the headless client, at each revision', 'conformance-next', NEXT, 2);

describe('the 0.2.0-alpha.12 table', () => {
  it('names every client scenario the suite lists, at each revision it applies to', async () => {
    const listed = await listedRuns(suiteEntry('conformance-next'));
    const table = NEXT.map((s) => `${s.name}@${s.revision ?? 'default'}`);
    assert.deepEqual([...table].sort(), [...listed].sort());
  });
});

describe('the headless client\'s list of scenarios', () => {
  // The CLI refuses MCP_CONFORMANCE_SCENARIO values it does not know; a scenario in the tables but
  // not in its list would be refused, and one only in its list would never run here.
  it('is exactly the scenarios the two tables run', () => {
    const tables = new Set([...LATEST, ...NEXT].map((s) => s.name));
    assert.deepEqual([...new Set(CONFORMANCE_SCENARIOS)].sort(), [...tables].sort());
    assert.equal(new Set(CONFORMANCE_SCENARIOS).size, CONFORMANCE_SCENARIOS.length, 'no name listed twice');
  });
});
