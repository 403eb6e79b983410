/** A small `.env` reader: KEY=VALUE lines, `export ` prefixes, `#` comments, single/double quotes. */
import { readFile } from 'node:fs/promises';

export interface EnvFileResult {
  readonly values: Record<string, string>;
  /** Lines that could not be read, with their 1-based line number. */
  readonly errors: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const MAX_ENV_FILE_BYTES = 1024 * 1024;

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

export function parseEnvFile(text: string): EnvFileResult {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice('export '.length).trimStart();
    const eq = line.indexOf('=');
    if (eq <= 0) {
      errors.push(`line ${lineNumber}: expected KEY=VALUE`);
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) {
      errors.push(`line ${lineNumber}: "${key}" is not a valid variable name`);
      continue;
    }
    let rest = line.slice(eq + 1).trimStart();
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may span lines until its closing quote.
      let body = rest.slice(1);
      let close = findClosingQuote(body, quote);
      while (close === -1 && i + 1 < lines.length) {
        body += '\n' + (lines[++i] ?? '');
        close = findClosingQuote(body, quote);
      }
      if (close === -1) {
        errors.push(`line ${lineNumber}: unterminated ${quote === '"' ? 'double' : 'single'} quote`);
        continue;
      }
      const raw = body.slice(0, close);
      values[key] = quote === '"' ? unescapeDoubleQuoted(raw) : raw;
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment !== -1) rest = rest.slice(0, comment);
    values[key] = rest.trim();
  }
  return { values, errors };
}

function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && quote === '"') {
      i++;
      continue;
    }
    if (body[i] === quote) return i;
  }
  return -1;
}

/** Reads and parses an env file; rejects with a readable message when it is missing or too large. */
export async function readEnvFile(filePath: string): Promise<EnvFileResult> {
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
