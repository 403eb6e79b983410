/**
 * The pure part of elicitation (`elicitation/create`), shared by the host and the webview: the
 * request and answer types, request validation (flat restricted schema, bounded; URL mode http(s)
 * only), answer validation against the requested schema, and SEP-1034 defaults.
 */

export type ElicitAction = 'accept' | 'decline' | 'cancel';
export type ElicitValue = string | number | boolean | string[];

export interface PropertySchema {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly oneOf?: readonly { const: string; title?: string }[];
  readonly items?: { readonly type?: string; readonly enum?: readonly string[]; readonly anyOf?: readonly { const: string; title?: string }[] };
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface RequestedSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required?: readonly string[];
}

export type ElicitationRequest =
  | { readonly mode: 'form'; readonly message: string; readonly requestedSchema: RequestedSchema }
  | { readonly mode: 'url'; readonly message: string; readonly url: string; readonly elicitationId?: string };

export interface ElicitResult {
  readonly action: ElicitAction;
  readonly content?: Record<string, ElicitValue>;
}

export class ElicitationError extends Error {
  override readonly name = 'ElicitationError';
}

const MAX_MESSAGE_LENGTH = 10_000;
const MAX_PROPERTIES = 100;
const MAX_URL_LENGTH = 8192;
const MAX_ENUM = 500;
const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function enumValues(schema: PropertySchema): readonly string[] | undefined {
  if (schema.enum) return schema.enum;
  if (schema.oneOf) return schema.oneOf.map((o) => o.const);
  return undefined;
}

function itemValues(schema: PropertySchema): readonly string[] | undefined {
  if (schema.items?.enum) return schema.items.enum;
  if (schema.items?.anyOf) return schema.items.anyOf.map((o) => o.const);
  return undefined;
}

function checkProperty(name: string, raw: unknown): PropertySchema {
  const where = `requestedSchema.properties.${name}`;
  if (!isObject(raw) || typeof raw.type !== 'string' || !PRIMITIVE_TYPES.has(raw.type)) {
    throw new ElicitationError(`${where} must be a string, number, integer, boolean or array (multi-select) property`);
  }
  const stringList = (value: unknown, what: string) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length > MAX_ENUM || !value.every((v) => typeof v === 'string')) throw new ElicitationError(`${where}.${what} must be a list of strings`);
  };
  const constList = (value: unknown, what: string) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length > MAX_ENUM || !value.every((v) => isObject(v) && typeof v.const === 'string')) throw new ElicitationError(`${where}.${what} must be a list of { const } options`);
  };
  stringList(raw.enum, 'enum');
  constList(raw.oneOf, 'oneOf');
  if (raw.type === 'array') {
    if (!isObject(raw.items)) throw new ElicitationError(`${where}.items must describe the options of a multi-select`);
    stringList(raw.items.enum, 'items.enum');
    constList(raw.items.anyOf, 'items.anyOf');
    if (raw.items.enum === undefined && raw.items.anyOf === undefined) throw new ElicitationError(`${where}.items must list its options (enum or anyOf)`);
  }
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'] as const) {
    if (raw[key] !== undefined && (typeof raw[key] !== 'number' || !Number.isFinite(raw[key]))) throw new ElicitationError(`${where}.${key} must be a number`);
  }
  return raw as unknown as PropertySchema;
}

/** Validates what the server sent as `elicitation/create` params. Throws ElicitationError with the reason. */
export function parseElicitationRequest(raw: unknown): ElicitationRequest {
  if (!isObject(raw)) throw new ElicitationError('elicitation/create params must be an object');
  if (typeof raw.message !== 'string' || raw.message.length > MAX_MESSAGE_LENGTH) throw new ElicitationError(`message must be a string of at most ${MAX_MESSAGE_LENGTH} characters`);
  const mode = raw.mode ?? 'form';
  if (mode === 'url') {
    if (typeof raw.url !== 'string' || raw.url.length > MAX_URL_LENGTH) throw new ElicitationError('url must be a string');
    let url: URL;
    try {
      url = new URL(raw.url);
    } catch {
      throw new ElicitationError('url is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ElicitationError(`url must be http or https, not ${url.protocol}`);
    if (raw.elicitationId !== undefined && typeof raw.elicitationId !== 'string') throw new ElicitationError('elicitationId must be a string');
    return { mode: 'url', message: raw.message, url: url.href, ...(typeof raw.elicitationId === 'string' ? { elicitationId: raw.elicitationId } : {}) };
  }
  if (mode !== 'form') throw new ElicitationError(`unknown elicitation mode ${JSON.stringify(String(mode)).slice(0, 40)}`);
  const schema = raw.requestedSchema;
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) throw new ElicitationError('requestedSchema must be an object schema with properties');
  const names = Object.keys(schema.properties);
  if (names.length > MAX_PROPERTIES) throw new ElicitationError(`requestedSchema has ${names.length} properties, more than the ${MAX_PROPERTIES} accepted`);
  const properties: Record<string, PropertySchema> = {};
  for (const name of names) properties[name] = checkProperty(name, schema.properties[name]);
  const required = schema.required;
  if (required !== undefined && (!Array.isArray(required) || !required.every((r) => typeof r === 'string' && Object.hasOwn(properties, r)))) {
    throw new ElicitationError('requestedSchema.required must list properties of the schema');
  }
  return { mode: 'form', message: raw.message, requestedSchema: { type: 'object', properties, ...(required ? { required: required as string[] } : {}) } };
}

const FORMATS: Record<string, (value: string) => boolean> = {
  email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
  uri: (v) => URL.canParse(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
};

function propertyProblem(schema: PropertySchema, value: unknown): string | undefined {
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return 'must be a string';
      const options = enumValues(schema);
      if (options && !options.includes(value)) return `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      if (schema.minLength !== undefined && value.length < schema.minLength) return `must be at least ${schema.minLength} characters`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `must be at most ${schema.maxLength} characters`;
      const check = schema.format ? FORMATS[schema.format] : undefined;
      if (check && !check(value)) return `must be a valid ${schema.format}`;
      return undefined;
    }
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      if (schema.type === 'integer' && !Number.isInteger(value)) return 'must be an integer';
      if (schema.minimum !== undefined && value < schema.minimum) return `must be at least ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `must be at most ${schema.maximum}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'array': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return 'must be a list of strings';
      const options = itemValues(schema) ?? [];
      const bad = value.find((v) => !options.includes(v));
      if (bad !== undefined) return `contains ${JSON.stringify(bad)}, not one of the options`;
      if (schema.minItems !== undefined && value.length < schema.minItems) return `must have at least ${schema.minItems} choices`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `must have at most ${schema.maxItems} choices`;
      return undefined;
    }
  }
}

/** Every problem of `content` against the schema, as `name: problem` lines; empty when valid. */
export function validateElicitationContent(schema: RequestedSchema, content: unknown): string[] {
  if (!isObject(content)) return ['content must be an object'];
  const problems: string[] = [];
  for (const name of schema.required ?? []) {
    if (content[name] === undefined) problems.push(`${name}: is required`);
  }
  for (const [name, value] of Object.entries(content)) {
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (!property) {
      problems.push(`${name}: is not in the requested schema`);
      continue;
    }
    const problem = propertyProblem(property, value);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  return problems;
}

/** The schema's defaults (SEP-1034) under the given values, keeping only defaults that are valid. */
export function applyElicitationDefaults(schema: RequestedSchema, content: Readonly<Record<string, ElicitValue>> = {}): Record<string, ElicitValue> {
  const filled: Record<string, ElicitValue> = {};
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.default !== undefined && propertyProblem(property, property.default) === undefined) filled[name] = property.default as ElicitValue;
  }
  return { ...filled, ...content };
}

