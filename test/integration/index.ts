/**
 * The integration suite's entry, loaded inside a real VS Code extension host:
 * - by the test helper extension under code-server (`runSuiteToFile`, results read by the harness);
 * - by @vscode/test-electron / @vscode/test-cli on desktop VS Code (`run`, the standard contract).
 * Mocha is loaded from the repo's node_modules at run time (the harness runs on the same machine).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type MochaType from 'mocha';

export interface SuiteResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs?: number;
  readonly error?: string;
}

function createMocha(): MochaType {
  const Mocha = require(path.resolve(__dirname, '../../../node_modules/mocha')) as typeof MochaType;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, file));
  return mocha;
}

async function runMocha(): Promise<SuiteResult[]> {
  const mocha = createMocha();
  await mocha.loadFilesAsync();
  const results: SuiteResult[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: `${err.message}\n${err.stack ?? ''}` }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
  return results;
}

export async function runSuiteToFile(resultsFile: string): Promise<void> {
  let payload: { results: SuiteResult[]; crash?: string };
  try {
    payload = { results: await runMocha() };
  } catch (err) {
    payload = { results: [], crash: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) };
  }
  writeFileSync(resultsFile, JSON.stringify(payload, null, 2));
}

/** The @vscode/test-electron contract: reject when any test failed. */
export async function run(): Promise<void> {
  const results = await runMocha();
  const failed = results.filter((r) => r.state === 'failed');
  if (failed.length) throw new Error(`${failed.length} integration test(s) failed`);
}
