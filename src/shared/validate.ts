/**
 * Small hand-written readers for messages crossing the host<->webview boundary.
 * Each reader returns the checked value or throws `Invalid`; callers catch once at the top.
 * Readers build fresh objects, so unknown extra properties never travel further.
 */
export class Invalid extends Error {
  constructor(readonly path: string) {
    super(`invalid message field: ${path}`);
  }
}

export type Rec = Readonly<Record<string, unknown>>;

export function record(value: unknown, path: string): Rec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(path);
  return value as Rec;
}

export function str(value: unknown, max: number, path: string): string {
  if (typeof value !== 'string' || value.length > max) throw new Invalid(path);
  return value;
}

export function nonEmptyStr(value: unknown, max: number, path: string): string {
  const s = str(value, max, path);
  if (s.length === 0) throw new Invalid(path);
  return s;
}

export function optStr(value: unknown, max: number, path: string): string | undefined {
  return value === undefined ? undefined : str(value, max, path);
}

export function num(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new Invalid(path);
  return value;
}

export function optNum(value: unknown, min: number, max: number, path: string): number | undefined {
  return value === undefined ? undefined : num(value, min, max, path);
}

export function int(value: unknown, min: number, max: number, path: string): number {
  const n = num(value, min, max, path);
  if (!Number.isInteger(n)) throw new Invalid(path);
  return n;
}

export function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new Invalid(path);
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new Invalid(path);
  return value as T;
}

export function list<T>(value: unknown, max: number, path: string, item: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(value) || value.length > max) throw new Invalid(path);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

/** Copies only the defined properties, so optional fields stay absent rather than `undefined`. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}
