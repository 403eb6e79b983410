/**
 * Names of the gateway's tools and prompts: `<server>__<tool>`, at most 64 characters of
 * [A-Za-z0-9_-] (what MCP clients and VS Code's `vscode.lm.tools` accept), always containing the
 * server's own tool name (sanitized), and stable: a name depends only on its server and tool, except
 * that names which would collide get a short hash of both, so no order of discovery changes them.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 64;
const SEPARATOR = '__';
const HASH_LENGTH = 6;

/** Replaces every character outside [A-Za-z0-9_-] with `_`. */
export function sanitizeName(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}

function shortHash(server: string, item: string): string {
  return createHash('sha256').update(server).update('\0').update(item).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * The plain name: the whole item name is kept and the server prefix shortened to fit; an item name
 * that alone is too long is cut and marked with the hash.
 */
function plainName(server: string, item: string): string {
  const safeServer = sanitizeName(server) || 'server';
  const safeItem = sanitizeName(item) || 'item';
  const full = `${safeServer}${SEPARATOR}${safeItem}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const room = MAX_NAME_LENGTH - SEPARATOR.length - safeItem.length;
  if (room >= 1) return `${safeServer.slice(0, room)}${SEPARATOR}${safeItem}`;
  return hashedName(server, item);
}

/** `<server prefix>__<item, cut>_<hash>`, within the limit. */
function hashedName(server: string, item: string): string {
  const hash = shortHash(server, item);
  const safeServer = (sanitizeName(server) || 'server').slice(0, 12);
  const room = MAX_NAME_LENGTH - safeServer.length - SEPARATOR.length - 1 - HASH_LENGTH;
  const safeItem = (sanitizeName(item) || 'item').slice(0, room);
  return `${safeServer}${SEPARATOR}${safeItem}_${hash}`;
}

export interface NamedItem {
  readonly server: string;
  readonly name: string;
}

/**
 * Assigns a gateway name to each (server, item) pair. Pairs whose plain names collide all get the
 * hashed form, so a name never depends on which server was seen first.
 */
export function assignNames<T extends NamedItem>(items: readonly T[]): Map<string, T> {
  const byPlain = new Map<string, T[]>();
  for (const item of items) {
    const plain = plainName(item.server, item.name);
    const group = byPlain.get(plain);
    if (group) group.push(item);
    else byPlain.set(plain, [item]);
  }
  const result = new Map<string, T>();
  for (const [plain, group] of byPlain) {
    if (group.length === 1 && !result.has(plain)) {
      result.set(plain, group[0]!);
      continue;
    }
    for (const item of group) {
      const hashed = hashedName(item.server, item.name);
      // Identical (server, name) pairs are the same item: the first one wins.
      if (!result.has(hashed)) result.set(hashed, item);
    }
  }
  return result;
}
