import { isRecord } from '../../shared/isRecord';
/**
 * One MCP server definition in the shape of VS Code's mcp.json `servers` entries, validated.
 * Parsing never throws: every problem comes back as a message naming the server and the field.
 */

export type ServerType = 'stdio' | 'http' | 'sse';

/** The MCP revisions a definition may pin with `protocol`; `auto` discovers (see src/core/mcp/revisions.ts). */
export const PROTOCOL_PINS = ['auto', '2026-07-28', '2025-11-25'] as const;
export type ProtocolPin = (typeof PROTOCOL_PINS)[number];

interface DefinitionBase {
  readonly name: string;
  /** Where the definition came from, for display: `settings`, a file path, `claude-desktop`… */
  readonly source: string;
  readonly disabled: boolean;
  /** Pins the MCP revision, for servers that misbehave in discovery; absent means `auto`. */
  readonly protocol?: ProtocolPin;
  /** `false` hides the server from the gateway; `true` offers an mcp.json server there (see src/core/gateway/exposure.ts). */
  readonly gateway?: boolean;
}

export interface StdioServerDefinition extends DefinitionBase {
  readonly type: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** `null` removes the variable from the inherited environment. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly envFile?: string;
  readonly cwd?: string;
  /** Start it with OPENAI_BASE_URL and OPENAI_API_KEY of the gateway's OpenAI-compatible endpoint (its own key). */
  readonly llmEndpoint?: boolean;
}

export interface HttpServerDefinition extends DefinitionBase {
  readonly type: 'http' | 'sse';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type ServerDefinition = StdioServerDefinition | HttpServerDefinition;

export type DefinitionResult = { readonly ok: true; readonly definition: ServerDefinition } | { readonly ok: false; readonly error: string };

export interface DefinitionError {
  readonly serverName?: string;
  readonly source: string;
  readonly message: string;
}

export interface ParsedServers {
  readonly definitions: ServerDefinition[];
  readonly errors: DefinitionError[];
}

const KNOWN_TYPES: readonly string[] = ['stdio', 'http', 'sse'];
/** Generous bounds: a definition is user-written, but a huge one is a mistake we should report. */
const MAX_ARGS = 1000;
const MAX_MAP_ENTRIES = 1000;
const MAX_STRING = 32 * 1024;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Checks an http(s) URL; returns an error text or undefined. Strings still holding `${…}` are checked after substitution. */
export function checkServerUrl(url: string): string | undefined {
  if (url.includes('${')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a valid URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${url}" must use http or https, not ${parsed.protocol.replace(/:$/, '')}`;
  return undefined;
}

class FieldError extends Error {}

function optionalString(raw: Record<string, unknown>, field: string, server: string): string | undefined {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FieldError(`Server "${server}": "${field}" must be a string, not ${describe(value)}.`);
  if (value.length > MAX_STRING) throw new FieldError(`Server "${server}": "${field}" is longer than ${MAX_STRING} characters.`);
  return value;
}

function stringArray(raw: Record<string, unknown>, field: string, server: string): string[] {
  const value = raw[field];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new FieldError(`Server "${server}": "${field}" must be an array of strings, not ${describe(value)}.`);
  if (value.length > MAX_ARGS) throw new FieldError(`Server "${server}": "${field}" has more than ${MAX_ARGS} entries.`);
  return value.map((item, index) => {
    if (typeof item !== 'string') throw new FieldError(`Server "${server}": "${field}[${index}]" must be a string, not ${describe(item)}.`);
    if (item.length > MAX_STRING) throw new FieldError(`Server "${server}": "${field}[${index}]" is longer than ${MAX_STRING} characters.`);
    return item;
  });
}

function stringMap(raw: Record<string, unknown>, field: string, server: string, allowNull: boolean): Record<string, string | null> {
  const value = raw[field];
  if (value === undefined) return {};
  if (!isRecord(value)) throw new FieldError(`Server "${server}": "${field}" must be an object, not ${describe(value)}.`);
  const entries = Object.entries(value);
  if (entries.length > MAX_MAP_ENTRIES) throw new FieldError(`Server "${server}": "${field}" has more than ${MAX_MAP_ENTRIES} entries.`);
  const result: Record<string, string | null> = {};
  for (const [key, item] of entries) {
    if (typeof item === 'string') {
      if (item.length > MAX_STRING) throw new FieldError(`Server "${server}": "${field}.${key}" is longer than ${MAX_STRING} characters.`);
      result[key] = item;
    } else if (item === null && allowNull) {
      result[key] = null;
    } else {
      const expected = allowNull ? 'a string or null' : 'a string';
      throw new FieldError(`Server "${server}": "${field}.${key}" must be ${expected}, not ${describe(item)}.`);
    }
  }
  return result;
}

function inferType(raw: Record<string, unknown>, server: string): ServerType {
  const type = raw['type'];
  if (type !== undefined) {
    if (typeof type !== 'string') throw new FieldError(`Server "${server}": "type" must be a string, not ${describe(type)}.`);
    if (!KNOWN_TYPES.includes(type)) throw new FieldError(`Server "${server}": unknown "type" "${type}" (expected stdio, http or sse).`);
    return type as ServerType;
  }
  if (raw['command'] !== undefined) return 'stdio';
  if (raw['url'] !== undefined) return 'http';
  throw new FieldError(`Server "${server}": needs a "command" (stdio) or a "url" (http, sse).`);
}

/** Validates one `servers` entry. */
export function parseServerDefinition(name: string, raw: unknown, source: string): DefinitionResult {
  if (name.trim() === '') return { ok: false, error: `A server in ${source} has an empty name.` };
  if (!isRecord(raw)) return { ok: false, error: `Server "${name}": the definition must be an object, not ${describe(raw)}.` };
  try {
    const type = inferType(raw, name);
    const disabledRaw = raw['disabled'];
    if (disabledRaw !== undefined && typeof disabledRaw !== 'boolean') {
      throw new FieldError(`Server "${name}": "disabled" must be true or false, not ${describe(disabledRaw)}.`);
    }
    const protocolRaw = raw['protocol'];
    if (protocolRaw !== undefined && !(PROTOCOL_PINS as readonly unknown[]).includes(protocolRaw)) {
      throw new FieldError(`Server "${name}": "protocol" must be one of ${PROTOCOL_PINS.map((p) => `"${p}"`).join(', ')}, not ${typeof protocolRaw === 'string' ? JSON.stringify(protocolRaw.slice(0, 40)) : describe(protocolRaw)}.`);
    }
    const gatewayRaw = raw['gateway'];
    if (gatewayRaw !== undefined && typeof gatewayRaw !== 'boolean') {
      throw new FieldError(`Server "${name}": "gateway" must be true or false, not ${describe(gatewayRaw)}.`);
    }
    const llmEndpointRaw = raw['llmEndpoint'];
    if (llmEndpointRaw !== undefined && (typeof llmEndpointRaw !== 'boolean' || (llmEndpointRaw && type !== 'stdio'))) {
      throw new FieldError(`Server "${name}": "llmEndpoint" must be true or false, and only a stdio server can have it (it is given in the environment), not ${describe(llmEndpointRaw)}.`);
    }
    const base = { name, source, disabled: disabledRaw === true, ...(protocolRaw !== undefined && protocolRaw !== 'auto' ? { protocol: protocolRaw as ProtocolPin } : {}), ...(gatewayRaw !== undefined ? { gateway: gatewayRaw } : {}) };
    if (type === 'stdio') {
      const command = optionalString(raw, 'command', name);
      if (command === undefined || command.trim() === '') throw new FieldError(`Server "${name}": a stdio server needs a non-empty "command".`);
      const envFile = optionalString(raw, 'envFile', name);
      const cwd = optionalString(raw, 'cwd', name);
      const definition: StdioServerDefinition = {
        ...base,
        type,
        command,
        args: stringArray(raw, 'args', name),
        env: stringMap(raw, 'env', name, true),
        ...(envFile !== undefined ? { envFile } : {}),
        ...(cwd !== undefined ? { cwd } : {}),
        ...(llmEndpointRaw === true ? { llmEndpoint: true } : {}),
      };
      return { ok: true, definition };
    }
    const url = optionalString(raw, 'url', name);
    if (url === undefined || url.trim() === '') throw new FieldError(`Server "${name}": an ${type} server needs a "url".`);
    const urlError = checkServerUrl(url.trim());
    if (urlError) throw new FieldError(`Server "${name}": "url" ${urlError}.`);
    const headers = stringMap(raw, 'headers', name, false) as Record<string, string>;
    return { ok: true, definition: { ...base, type, url: url.trim(), headers } };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Parses a `servers` object (settings or mcp.json): every good entry is kept, every bad one reported. */
export function parseServersObject(obj: unknown, source: string): ParsedServers {
  const definitions: ServerDefinition[] = [];
  const errors: DefinitionError[] = [];
  if (obj === undefined || obj === null) return { definitions, errors };
  if (!isRecord(obj)) {
    errors.push({ source, message: `The "servers" in ${source} must be an object keyed by server name, not ${describe(obj)}.` });
    return { definitions, errors };
  }
  for (const [name, raw] of Object.entries(obj)) {
    const result = parseServerDefinition(name, raw, source);
    if (result.ok) definitions.push(result.definition);
    else errors.push({ serverName: name, source, message: result.error });
  }
  return { definitions, errors };
}

function sortedObject(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}

/** A stable serialization of everything that affects the connection, to tell changed definitions apart. */
export function definitionKey(definition: ServerDefinition): string {
  if (definition.type === 'stdio') {
    return JSON.stringify([
      'stdio',
      definition.command,
      definition.args,
      sortedObject(definition.env),
      definition.envFile ?? null,
      definition.cwd ?? null,
      definition.disabled,
      definition.protocol ?? 'auto',
    ]);
  }
  return JSON.stringify([definition.type, definition.url, sortedObject(definition.headers), definition.disabled, definition.protocol ?? 'auto']);
}

/** Back to the settings/mcp.json shape, e.g. to write an imported definition into settings. */
export function toSettingsEntry(definition: ServerDefinition): Record<string, unknown> {
  if (definition.type === 'stdio') {
    return {
      type: 'stdio',
      command: definition.command,
      ...(definition.args.length ? { args: [...definition.args] } : {}),
      ...(Object.keys(definition.env).length ? { env: { ...definition.env } } : {}),
      ...(definition.envFile !== undefined ? { envFile: definition.envFile } : {}),
      ...(definition.cwd !== undefined ? { cwd: definition.cwd } : {}),
      ...(definition.llmEndpoint ? { llmEndpoint: true } : {}),
      ...(definition.disabled ? { disabled: true } : {}),
      ...(definition.protocol ? { protocol: definition.protocol } : {}),
      ...(definition.gateway !== undefined ? { gateway: definition.gateway } : {}),
    };
  }
  return {
    type: definition.type,
    url: definition.url,
    ...(Object.keys(definition.headers).length ? { headers: { ...definition.headers } } : {}),
    ...(definition.disabled ? { disabled: true } : {}),
    ...(definition.protocol ? { protocol: definition.protocol } : {}),
    ...(definition.gateway !== undefined ? { gateway: definition.gateway } : {}),
  };
}
