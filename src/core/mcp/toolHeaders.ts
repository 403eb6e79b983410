import { isRecord } from '../../shared/isRecord';
/**
 * Custom request headers from tool parameters (2026-07-28, SEP-2243). A tool's inputSchema may mark
 * a parameter with `x-mcp-header: "<Name>"`; on Streamable HTTP its value is then mirrored into an
 * `Mcp-Param-<Name>` header of each `tools/call`, so gateways can route without reading the body.
 * A tool whose marks break the rules (empty or non-token name, a duplicate ignoring case, a mark on
 * anything but a string, integer or boolean parameter) must not be used: the lists leave it out.
 */

/** RFC 9110 token characters: what an HTTP field name may hold. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MARKABLE_TYPES: readonly string[] = ['string', 'integer', 'boolean'];
const MAX_HEADER_VALUE = 8 * 1024;

/** A header value as the spec's Value Encoding says: plain when safe, else `=?base64?…?=`. */
export function encodeHeaderValue(value: string): string {
  const plain = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(value) && !(value.startsWith('=?base64?') && value.endsWith('?='));
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export type HeaderParameters = { readonly ok: true; readonly params: ReadonlyMap<string, string> } | { readonly ok: false; readonly reason: string };

/** The parameters a tool marks with `x-mcp-header` (parameter name → header name), or why the marks are invalid. */
export function headerParameters(inputSchema: unknown): HeaderParameters {
  const properties = isRecord(inputSchema) && isRecord(inputSchema.properties) ? inputSchema.properties : {};
  const params = new Map<string, string>();
  const seen = new Set<string>();
  for (const [name, schema] of Object.entries(properties)) {
    if (!isRecord(schema) || !('x-mcp-header' in schema)) continue;
    const header = schema['x-mcp-header'];
    if (typeof header !== 'string' || header.length === 0) return { ok: false, reason: `parameter "${name}" has an empty or non-string x-mcp-header` };
    if (!TOKEN.test(header)) return { ok: false, reason: `parameter "${name}": x-mcp-header ${JSON.stringify(header.slice(0, 60))} is not a valid header name` };
    if (typeof schema.type !== 'string' || !MARKABLE_TYPES.includes(schema.type)) {
      return { ok: false, reason: `parameter "${name}": x-mcp-header is allowed on string, integer and boolean parameters only` };
    }
    const key = header.toLowerCase();
    if (seen.has(key)) return { ok: false, reason: `x-mcp-header "${header}" is used twice (names compare ignoring case)` };
    seen.add(key);
    params.set(name, header);
  }
  return { ok: true, params };
}

/** The `Mcp-Param-*` headers for one call: null and absent values are left out. */
export function paramHeaders(params: ReadonlyMap<string, string>, args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!isRecord(args)) return headers;
  for (const [name, header] of params) {
    const value = args[name];
    let text: string | undefined;
    if (typeof value === 'string') text = encodeHeaderValue(value);
    else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    if (text !== undefined && text.length <= MAX_HEADER_VALUE) headers[`mcp-param-${header.toLowerCase()}`] = text;
  }
  return headers;
}
