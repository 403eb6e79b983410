/**
 * The building blocks of the host<->webview schemas (zod/mini: it tree-shakes, so the panel's bundle
 * carries only what these use). Each message and view is declared once as a schema; its type is the
 * schema's output and its reader is the schema. Objects keep only their declared keys, so unknown
 * extra properties never travel further.
 */
import * as z from 'zod/mini';

/** A string of at most `max` characters. */
export const text = (max: number) => z.string().check(z.maxLength(max));

/** A string of 1 to `max` characters (ids, names that select something). */
export const nonEmpty = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** A finite number in [min, max]. */
export const bounded = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));

/** A safe integer in [min, max]. */
export const integer = (min: number, max: number = Number.MAX_SAFE_INTEGER) => z.int().check(z.gte(min), z.lte(max));

/** A list of at most `max` items. */
export const listOf = <T extends z.ZodMiniType>(item: T, max: number) => z.array(item).check(z.maxLength(max));

/** Where a check failed, as the panel names it: `request.messages[0].content[1].type`, and a custom check's words. */
export function describeIssue(prefix: string, issue: z.core.$ZodIssue): string {
  let path = prefix;
  for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : `${path ? '.' : ''}${String(key)}`;
  return issue.code === 'custom' ? `${path}: ${issue.message}` : path;
}

/**
 * A copy without `undefined` properties, at every depth, so an optional field sent as `undefined`
 * stays absent (as it would after the JSON of postMessage) instead of arriving as a key.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
}

/** Parses `value`; undefined when it is malformed. */
export function parseOrUndefined<T extends z.ZodMiniType>(schema: T, value: unknown): z.output<T> | undefined {
  const result = schema.safeParse(value);
  return result.success ? withoutUndefined(result.data) : undefined;
}
