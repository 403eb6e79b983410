/**
 * The pure part of elicitation (`elicitation/create`), shared by the host and the webview: the
 * request and answer types, request validation (flat restricted schema, bounded; URL mode http(s)
 * only), answer validation against the requested schema, and SEP-1034 defaults.
 */

import { ELICITATION_LIMITS, LIMITS } from './limits';
import { isRecord } from './isRecord';
import { ENGLISH_WORDS, type PanelStringKey, type PanelWords } from './panelStrings';

/** A value's problem: the panel string that tells it, and its arguments after the field's name. */
type ValueProblem = readonly [PanelStringKey, ...(string | number)[]];

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

/** Bounds of a request and its answers; the panel's readers use the same ones (src/shared/limits.ts). */
const MAX_MESSAGE_LENGTH = ELICITATION_LIMITS.message;
const MAX_PROPERTIES = ELICITATION_LIMITS.fields;
const MAX_URL_LENGTH = ELICITATION_LIMITS.url;
const MAX_ENUM = ELICITATION_LIMITS.choices;
const MAX_NAME = LIMITS.name;
const PRIMITIVE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array']);

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
  if (!isRecord(raw) || typeof raw.type !== 'string' || !PRIMITIVE_TYPES.has(raw.type)) {
    throw new ElicitationError(`${where} must be a string, number, integer, boolean or array (multi-select) property`);
  }
  const stringList = (value: unknown, what: string) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length > MAX_ENUM || !value.every((v) => typeof v === 'string')) throw new ElicitationError(`${where}.${what} must be a list of strings`);
  };
  const constList = (value: unknown, what: string) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.length > MAX_ENUM || !value.every((v) => isRecord(v) && typeof v.const === 'string')) throw new ElicitationError(`${where}.${what} must be a list of { const } options`);
  };
  stringList(raw.enum, 'enum');
  constList(raw.oneOf, 'oneOf');
  if (raw.type === 'array') {
    if (!isRecord(raw.items)) throw new ElicitationError(`${where}.items must describe the options of a multi-select`);
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
  if (!isRecord(raw)) throw new ElicitationError('elicitation/create params must be an object');
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
    // Parsing percent-encodes: what is shown and opened (href) must fit the same bound.
    if (url.href.length > MAX_URL_LENGTH) throw new ElicitationError(`url must be at most ${MAX_URL_LENGTH} characters once encoded`);
    if (url.host.length > MAX_NAME) throw new ElicitationError(`url's host must be at most ${MAX_NAME} characters`);
    if (raw.elicitationId !== undefined && typeof raw.elicitationId !== 'string') throw new ElicitationError('elicitationId must be a string');
    return { mode: 'url', message: raw.message, url: url.href, ...(typeof raw.elicitationId === 'string' ? { elicitationId: raw.elicitationId } : {}) };
  }
  if (mode !== 'form') throw new ElicitationError(`unknown elicitation mode ${JSON.stringify(String(mode)).slice(0, 40)}`);
  const schema = raw.requestedSchema;
  if (!isRecord(schema) || schema.type !== 'object' || !isRecord(schema.properties)) throw new ElicitationError('requestedSchema must be an object schema with properties');
  const names = Object.keys(schema.properties);
  if (names.length > MAX_PROPERTIES) throw new ElicitationError(`requestedSchema has ${names.length} properties, more than the ${MAX_PROPERTIES} accepted`);
  const properties: Record<string, PropertySchema> = {};
  for (const name of names) {
    if (name.length === 0 || name.length > MAX_NAME) throw new ElicitationError(`requestedSchema has a property name of ${name.length} characters (1 to ${MAX_NAME} accepted)`);
    properties[name] = checkProperty(name.length > 64 ? `${name.slice(0, 64)}…` : name, schema.properties[name]);
  }
  const required = schema.required;
  if (required !== undefined && (!Array.isArray(required) || !required.every((r) => typeof r === 'string' && Object.hasOwn(properties, r)))) {
    throw new ElicitationError('requestedSchema.required must list properties of the schema');
  }
  return { mode: 'form', message: raw.message, requestedSchema: { type: 'object', properties, ...(required ? { required: required as string[] } : {}) } };
}

const MAX_EMAIL = 320;

function isWhitespace(code: number): boolean {
  return code <= 0x20 || code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** `local@domain.tld`: one `@`, no whitespace, a dot inside the domain. One pass, no regex (server text can be megabytes). */
export function isEmailAddress(v: string): boolean {
  if (v.length > MAX_EMAIL) return false;
  let at = -1;
  for (let i = 0; i < v.length; i++) {
    const code = v.charCodeAt(i);
    if (isWhitespace(code)) return false;
    if (code === 0x40) {
      if (at !== -1) return false;
      at = i;
    }
  }
  if (at < 1) return false;
  const dot = v.lastIndexOf('.', v.length - 2);
  return dot > at + 1;
}

const FORMATS: Record<string, (value: string) => boolean> = {
  email: isEmailAddress,
  uri: (v) => URL.canParse(v),
  date: (v) => v.length === 10 && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)),
  'date-time': (v) => v.length <= 64 && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)),
};

function propertyProblem(schema: PropertySchema, value: unknown): ValueProblem | undefined {
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return ['fieldMustBeText'];
      // Bounded before any other check: nothing below runs on an unbounded string.
      if (value.length > ELICITATION_LIMITS.value) return ['fieldAtMostChars', ELICITATION_LIMITS.value];
      const options = enumValues(schema);
      if (options && !options.includes(value)) return ['fieldOneOf', options.map((o) => JSON.stringify(o)).join(', ')];
      if (schema.minLength !== undefined && value.length < schema.minLength) return ['fieldAtLeastChars', schema.minLength];
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return ['fieldAtMostChars', schema.maxLength];
      const check = schema.format ? FORMATS[schema.format] : undefined;
      if (check && !check(value)) return ['fieldValidFormat', schema.format ?? ''];
      return undefined;
    }
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value)) return ['mustBeNumber'];
      if (schema.type === 'integer' && !Number.isInteger(value)) return ['fieldMustBeInteger'];
      if (schema.minimum !== undefined && value < schema.minimum) return ['fieldAtLeast', schema.minimum];
      if (schema.maximum !== undefined && value > schema.maximum) return ['fieldAtMost', schema.maximum];
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : ['fieldTrueOrFalse'];
    case 'array': {
      if (!Array.isArray(value) || value.length > MAX_ENUM || !value.every((v) => typeof v === 'string' && v.length <= ELICITATION_LIMITS.value)) return ['fieldListOfStrings'];
      const options = itemValues(schema) ?? [];
      const bad = value.find((v) => !options.includes(v));
      if (bad !== undefined) return ['fieldNotAnOption', JSON.stringify(bad)];
      if (schema.minItems !== undefined && value.length < schema.minItems) return ['fieldAtLeastChoices', schema.minItems];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return ['fieldAtMostChoices', schema.maxItems];
      return undefined;
    }
  }
}

/**
 * Every problem of `content` against the schema, one sentence each naming its field (told in
 * `words`: the panel's `t` in the webview, English on the host, whose problems go to servers and
 * logs); empty when valid.
 */
export function validateElicitationContent(schema: RequestedSchema, content: unknown, words: PanelWords = ENGLISH_WORDS): string[] {
  if (!isRecord(content)) return [words('answerNotObject')];
  const problems: string[] = [];
  for (const name of schema.required ?? []) {
    if (content[name] === undefined) problems.push(words('fieldRequired', name));
  }
  for (const [name, value] of Object.entries(content)) {
    const property = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (!property) {
      problems.push(words('fieldNotInForm', name));
      continue;
    }
    const problem = propertyProblem(property, value);
    if (problem) {
      const [key, ...args] = problem;
      problems.push(words(key, name, ...args));
    }
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

