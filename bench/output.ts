/** Writes a section's JSON result where run.mjs asked for it (or prints it). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeResult(out: string | undefined, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (!out) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
}

/** Runs a section's main, exiting non-zero (with the error) when it fails so run.mjs can report it. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
