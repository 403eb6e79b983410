import { isRecord } from '../../shared/isRecord';
/**
 * Turning a tool's JSON Schema into a way to ask for its arguments: one quick input per field
 * for flat schemas, a JSON skeleton to edit for anything nested.
 */

export interface ArgumentField {
  readonly name: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly required: boolean;
  readonly description?: string;
  readonly enumValues?: readonly (string | number | boolean)[];
  readonly defaultValue?: unknown;
}

export type ArgumentsPlan =
  | { readonly kind: 'none' }
  | { readonly kind: 'flat'; readonly fields: readonly ArgumentField[] }
  | { readonly kind: 'json'; readonly skeleton: string };

export type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const PRIMITIVES = ['string', 'number', 'integer', 'boolean'] as const;
const MAX_FLAT_FIELDS = 20;
const MAX_SKELETON_DEPTH = 6;

/** The single primitive type of a property schema, or undefined when it is not one simple type. */
function primitiveType(schema: Record<string, unknown>): ArgumentField['type'] | undefined {
  let type = schema['type'];
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== 'null');
    type = nonNull.length === 1 ? nonNull[0] : undefined;
  }
  if (type === undefined && Array.isArray(schema['enum']) && schema['enum'].every((v) => typeof v === 'string')) return 'string';
  return (PRIMITIVES as readonly unknown[]).includes(type) ? (type as ArgumentField['type']) : undefined;
}

export function planToolArguments(inputSchema: unknown): ArgumentsPlan {
  if (!isRecord(inputSchema)) return { kind: 'none' };
  const properties = isRecord(inputSchema['properties']) ? inputSchema['properties'] : {};
  const names = Object.keys(properties);
  if (names.length === 0 && !inputSchema['additionalProperties']) return { kind: 'none' };
  const required = new Set(Array.isArray(inputSchema['required']) ? inputSchema['required'].filter((r): r is string => typeof r === 'string') : []);
  const fields: ArgumentField[] = [];
  for (const name of names) {
    const property = properties[name];
    if (!isRecord(property)) return { kind: 'json', skeleton: skeletonText(inputSchema) };
    const type = primitiveType(property);
    if (!type) return { kind: 'json', skeleton: skeletonText(inputSchema) };
    const enumValues = Array.isArray(property['enum']) ? (property['enum'].filter((v) => ['string', 'number', 'boolean'].includes(typeof v)) as (string | number | boolean)[]) : undefined;
    fields.push({
      name,
      type,
      required: required.has(name),
      ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
      ...(enumValues && enumValues.length ? { enumValues } : {}),
      ...(property['default'] !== undefined ? { defaultValue: property['default'] } : {}),
    });
  }
  if (fields.length > MAX_FLAT_FIELDS || (names.length === 0 && inputSchema['additionalProperties'])) return { kind: 'json', skeleton: skeletonText(inputSchema) };
  return { kind: 'flat', fields };
}

/** Converts what the user typed for a field; an empty optional field is left out (`value: undefined`). */
export function convertFieldValue(field: ArgumentField, raw: string): Converted {
  const text = raw.trim();
  if (text === '') {
    return field.required && field.type !== 'string' ? { ok: false, error: `"${field.name}" is required.` } : { ok: true, value: field.required ? '' : undefined };
  }
  switch (field.type) {
    case 'string':
      return { ok: true, value: raw };
    case 'boolean':
      if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
      return { ok: false, error: `"${field.name}" must be true or false.` };
    case 'number':
    case 'integer': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, error: `"${field.name}" must be a number.` };
      if (field.type === 'integer' && !Number.isInteger(value)) return { ok: false, error: `"${field.name}" must be a whole number.` };
      return { ok: true, value };
    }
  }
}

/** A JSON value shaped like the schema, to start editing from: defaults, examples, or placeholders. */
export function skeletonFor(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > MAX_SKELETON_DEPTH) return null;
  if (schema['default'] !== undefined) return schema['default'];
  if (Array.isArray(schema['examples']) && schema['examples'].length) return schema['examples'][0];
  if (Array.isArray(schema['enum']) && schema['enum'].length) return schema['enum'][0];
  if (schema['const'] !== undefined) return schema['const'];
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const options = schema[key];
    if (Array.isArray(options) && options.length) return skeletonFor(options[0], depth + 1);
  }
  let type = schema['type'];
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  if (type === 'object' || (type === undefined && isRecord(schema['properties']))) {
    const properties = isRecord(schema['properties']) ? schema['properties'] : {};
    return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, skeletonFor(property, depth + 1)]));
  }
  if (type === 'array') return schema['items'] !== undefined ? [skeletonFor(schema['items'], depth + 1)] : [];
  if (type === 'string') return '';
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return false;
  return null;
}

function skeletonText(schema: unknown): string {
  return JSON.stringify(skeletonFor(schema) ?? {}, null, 2);
}
