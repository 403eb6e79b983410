/**
 * The real workbench: code-server (VS Code 1.139) with the extension installed from its VSIX,
 * driven by Chromium. The mocha integration suite runs inside the same extension host; each of
 * its tests is reported here as a subtest, so a failure there fails `npm test`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startSession, type Session } from '../harness/session';
import { readdirSync, readFileSync } from 'node:fs';
import { repoRoot } from '../harness/paths';

/** The titles of the integration suite's tests, read from its sources (each `it('…'`). */
function expectedIntegrationTests(): string[] {
  const dir = path.join(repoRoot, 'test', 'integration');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => [...readFileSync(path.join(dir, f), 'utf8').matchAll(/^\s*it(?:\.skip|\.only)?\(\s*(['"`])(.*?)\1\s*,/gm)].map((m) => m[2]!.replace(/\\(.)/g, '$1')));
}

describe('real VS Code with the extension installed from its VSIX', () => {
  let session: Session;

  before(async () => {
    session = await startSession({ runSuite: true });
  });

  after(async () => {
    await session?.stop();
  });

  it('runs the integration suite inside the extension host', async (t) => {
    const { results, crash } = await session.suiteResults(300_000);
    assert.equal(crash, undefined, `the suite crashed: ${crash}`);
    // Every `it(` of the integration suite must report: a suite that loads half its files, or stops
    // early, fails here instead of passing with fewer tests.
    const expected = expectedIntegrationTests();
    assert.ok(expected.length > 0, 'the integration suite has tests');
    assert.equal(results.length, expected.length, `the suite reported ${results.length} of its ${expected.length} tests; missing: ${expected.filter((title) => !results.some((r) => r.title.endsWith(title))).join('; ')}`);
    for (const r of results) {
      if (r.state === 'pending') {
        await t.test(r.title, { skip: 'pending in the mocha suite' }, () => {});
      } else {
        await t.test(r.title, () => assert.equal(r.state, 'passed', r.error));
      }
    }
  });

  it('shows the workbench with the extension\'s view container', async () => {
    await session.page.locator('.activitybar [aria-label^="MCP Sampling"]').first().click();
    // With no server configured the Servers view shows its welcome content.
    await session.page.getByText('No MCP servers are configured.').first().waitFor({ timeout: 20_000 });
    await session.screenshot(path.join(repoRoot, 'test-results', 'servers-view-empty.png'));
  });
});
