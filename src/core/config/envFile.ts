/**
 * Reads a server's `envFile` with dotenv's parser (the format VS Code's own envFile and most tools
 * follow: KEY=VALUE lines, `export `, `#` comments, quotes, multi-line quoted values). Lines it
 * cannot read are skipped, as dotenv does.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';

const MAX_ENV_FILE_BYTES = 1024 * 1024;

export function parseEnvFile(text: string): Record<string, string> {
  // A null-prototype copy: a key such as `constructor` is a variable, never an inherited property.
  return Object.assign(Object.create(null) as Record<string, string>, parse(text.replace(/^\uFEFF/, '')));
}

/** Reads and parses an env file; rejects with a readable message when it is missing or too large. */
export async function readEnvFile(filePath: string): Promise<Record<string, string>> {
  let text: string;
  try {
    const buffer = await readFile(filePath);
    if (buffer.byteLength > MAX_ENV_FILE_BYTES) throw new Error(`is larger than ${MAX_ENV_FILE_BYTES} bytes`);
    text = buffer.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : error instanceof Error ? error.message : String(error);
    throw new Error(`envFile "${filePath}" ${why}`, { cause: error });
  }
  return parseEnvFile(text);
}
