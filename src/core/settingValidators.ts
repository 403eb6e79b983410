/**
 * Validators for hand-edited setting values. Each turns whatever a settings file holds into the typed
 * value the code uses (the default when invalid) and says what was wrong as data: the host words the
 * problems for people (localized), core only decides what is valid.
 */
import { isRecord } from '../shared/isRecord';
import { DEFAULT_PROVIDER_KIND, isProviderKind, PROVIDER_KINDS } from './providers/kinds';
import type { ProviderModelSetting, ProviderSetting } from './providers/types';
import type { ApprovalMode } from './sampling/types';

/** What is wrong with a setting's value; `setting` is the full name (with a path into objects). */
export type SettingProblem =
  | { readonly kind: 'notBoolean'; readonly setting: string }
  | { readonly kind: 'notText'; readonly setting: string }
  | { readonly kind: 'notOneOf'; readonly setting: string; readonly allowed: readonly string[] }
  | { readonly kind: 'notNumberInRange'; readonly setting: string; readonly min: number; readonly max?: number; readonly integer: boolean }
  | { readonly kind: 'notObject'; readonly setting: string }
  | { readonly kind: 'notList'; readonly setting: string }
  | { readonly kind: 'badProviderId'; readonly setting: string }
  | { readonly kind: 'missingBaseUrl'; readonly setting: string }
  | { readonly kind: 'unknownProviderKind'; readonly setting: string; readonly allowed: readonly string[] }
  | { readonly kind: 'duplicateProviderId'; readonly setting: string; readonly id: string };

/** A validated value and what was ignored on the way (nothing when the value was valid or unset). */
export interface Checked<T> {
  readonly value: T;
  readonly problems: readonly SettingProblem[];
}

/** `raw` is undefined when the setting is unset; `name` is the full setting name for problems. */
export type Validator<T> = (raw: unknown, name: string, fallback: T) => Checked<T>;

/** The JSON schema facts package.json must agree with (checked by a unit test). */
export interface SchemaFacts {
  readonly type: 'boolean' | 'string' | 'number' | 'integer' | 'object' | 'array';
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface ValueKind<T> {
  readonly schema: SchemaFacts;
  readonly validate: Validator<T>;
}

const ok = <T>(value: T): Checked<T> => ({ value, problems: [] });
const wrong = <T>(value: T, problem: SettingProblem): Checked<T> => ({ value, problems: [problem] });

export const booleanValue: ValueKind<boolean> = {
  schema: { type: 'boolean' },
  validate: (raw, setting, fallback) => (raw === undefined ? ok(fallback) : typeof raw === 'boolean' ? ok(raw) : wrong(fallback, { kind: 'notBoolean', setting })),
};

/** Non-empty text, trimmed. */
export const textValue: ValueKind<string> = {
  schema: { type: 'string' },
  validate: (raw, setting, fallback) => {
    if (raw === undefined) return ok(fallback);
    return typeof raw === 'string' && raw.trim() !== '' ? ok(raw.trim()) : wrong(fallback, { kind: 'notText', setting });
  },
};

export function oneOf<T extends string>(allowed: readonly T[]): ValueKind<T> {
  return {
    schema: { type: 'string', enum: allowed },
    validate: (raw, setting, fallback) => {
      if (raw === undefined) return ok(fallback);
      return typeof raw === 'string' && (allowed as readonly string[]).includes(raw) ? ok(raw as T) : wrong(fallback, { kind: 'notOneOf', setting, allowed });
    },
  };
}

/** A finite number from `min` (to `max`); `integer` rounds down (package.json declares `number`) or requires an integer. */
export function numberInRange(min: number, options: { readonly max?: number; readonly integer?: 'floor' | 'required' } = {}): ValueKind<number> {
  const { max, integer } = options;
  return {
    schema: { type: integer === 'required' ? 'integer' : 'number', minimum: min, ...(max !== undefined ? { maximum: max } : {}) },
    validate: (raw, setting, fallback) => {
      if (raw === undefined) return ok(fallback);
      const valid = typeof raw === 'number' && Number.isFinite(raw) && raw >= min && (max === undefined || raw <= max) && (integer !== 'required' || Number.isInteger(raw));
      if (!valid) return wrong(fallback, { kind: 'notNumberInRange', setting, min, ...(max !== undefined ? { max } : {}), integer: integer === 'required' });
      return ok(integer === 'floor' ? Math.floor(raw) : raw);
    },
  };
}

/** An object whose entries another module parses (e.g. `servers`, by core/config/mcpJson). */
export const objectValue: ValueKind<Readonly<Record<string, unknown>>> = {
  schema: { type: 'object' },
  validate: (raw, setting, fallback) => (raw === undefined ? ok(fallback) : isRecord(raw) ? ok(raw) : wrong(fallback, { kind: 'notObject', setting })),
};

const APPROVAL_MODES: readonly ApprovalMode[] = ['ask', 'auto', 'deny'];
export const approvalValue = oneOf(APPROVAL_MODES);

const PROVIDER_ID = /^[A-Za-z0-9_.-]+$/;

function unitOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 0 && value <= 1 ? value : undefined;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function optionalNumberAtLeast(value: unknown, min: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

function providerModel(value: unknown): ProviderModelSetting | undefined {
  if (!isRecord(value) || typeof value.id !== 'string' || value.id === '') return undefined;
  return {
    id: value.id,
    cost: unitOrUndefined(value.cost),
    speed: unitOrUndefined(value.speed),
    intelligence: unitOrUndefined(value.intelligence),
    maxInputTokens: optionalNumberAtLeast(value.maxInputTokens, 1),
  };
}

function provider(value: unknown, setting: string): Checked<ProviderSetting | undefined> {
  if (!isRecord(value)) return wrong(undefined, { kind: 'notObject', setting });
  if (typeof value.id !== 'string' || !PROVIDER_ID.test(value.id)) return wrong(undefined, { kind: 'badProviderId', setting });
  if (typeof value.baseUrl !== 'string' || value.baseUrl.trim() === '') return wrong(undefined, { kind: 'missingBaseUrl', setting });
  // An entry of a kind this version does not know is left out rather than guessed at.
  const kind = value.kind === undefined ? DEFAULT_PROVIDER_KIND : isProviderKind(value.kind) ? value.kind : undefined;
  if (kind === undefined) return wrong(undefined, { kind: 'unknownProviderKind', setting: `${setting}.kind`, allowed: PROVIDER_KINDS });
  const models = Array.isArray(value.models) ? value.models.map(providerModel).filter((m) => m !== undefined) : undefined;
  return ok({
    kind,
    id: value.id,
    label: optionalText(value.label),
    baseUrl: value.baseUrl.trim(),
    defaultModel: optionalText(value.defaultModel),
    headers: stringRecord(value.headers),
    models,
  });
}

/** `mcpSampling.providers`: the valid entries, the first of each id. */
export const providersValue: ValueKind<readonly ProviderSetting[]> = {
  schema: { type: 'array' },
  validate: (raw, setting, fallback) => {
    if (raw === undefined) return ok(fallback);
    if (!Array.isArray(raw)) return wrong(fallback, { kind: 'notList', setting });
    const problems: SettingProblem[] = [];
    const providers: ProviderSetting[] = [];
    raw.forEach((entry, index) => {
      const checked = provider(entry, `${setting}[${index}]`);
      problems.push(...checked.problems);
      if (!checked.value) return;
      if (providers.some((p) => p.id === checked.value?.id)) problems.push({ kind: 'duplicateProviderId', setting: `${setting}[${index}]`, id: checked.value.id });
      else providers.push(checked.value);
    });
    return { value: providers, problems };
  },
};

/** One value of `mcpSampling.serverSampling`, keyed by server name. */
export interface ServerSamplingSetting {
  readonly approval?: ApprovalMode;
  readonly provider?: string;
  readonly model?: string;
  readonly maxTokens?: number;
  readonly requestsPerMinute?: number;
  /** Review this server's answers (true even when approved automatically; false never). Unset: see reviewResponses. */
  readonly reviewResponses?: boolean;
  /** The workspace definition "Always allow" was given to (see sampling/approvalScope); "auto" applies to a workspace server only with it. */
  readonly definition?: ApprovedDefinition;
}

/** A workspace server definition as an approval names it: its mcp.json and its consent fingerprint. */
export interface ApprovedDefinition {
  readonly source: string;
  readonly fingerprint: string;
}

function approvedDefinition(raw: unknown): ApprovedDefinition | undefined {
  return isRecord(raw) && typeof raw.source === 'string' && typeof raw.fingerprint === 'string' ? { source: raw.source, fingerprint: raw.fingerprint } : undefined;
}

/** An optional field of an object setting: undefined when unset, ignored (with a problem) when invalid. */
function optionalField<T>(kind: ValueKind<T>, raw: unknown, setting: string, problems: SettingProblem[]): T | undefined {
  if (raw === undefined) return undefined;
  const checked = kind.validate(raw, setting, undefined as T);
  problems.push(...checked.problems);
  return checked.value;
}

const positive = numberInRange(1);

function serverSamplingEntry(entry: Record<string, unknown>, setting: string, problems: SettingProblem[]): ServerSamplingSetting {
  const reviewResponses = optionalField(booleanValue, entry.reviewResponses, `${setting}.reviewResponses`, problems);
  const definition = approvedDefinition(entry.definition);
  return {
    approval: optionalField(approvalValue, entry.approval, `${setting}.approval`, problems),
    provider: optionalField(textValue, entry.provider, `${setting}.provider`, problems),
    model: optionalField(textValue, entry.model, `${setting}.model`, problems),
    maxTokens: optionalField(positive, entry.maxTokens, `${setting}.maxTokens`, problems),
    requestsPerMinute: optionalField(positive, entry.requestsPerMinute, `${setting}.requestsPerMinute`, problems),
    ...(reviewResponses !== undefined ? { reviewResponses } : {}),
    ...(definition ? { definition } : {}),
  };
}

/** `mcpSampling.serverSampling`: per-server options; invalid fields are dropped one by one. */
export const serverSamplingValue: ValueKind<Readonly<Record<string, ServerSamplingSetting>>> = {
  schema: { type: 'object' },
  validate: (raw, setting, fallback) => {
    if (raw === undefined) return ok(fallback);
    if (!isRecord(raw)) return wrong(fallback, { kind: 'notObject', setting });
    const problems: SettingProblem[] = [];
    const out: Record<string, ServerSamplingSetting> = {};
    for (const [name, entry] of Object.entries(raw)) {
      const entrySetting = `${setting}[${JSON.stringify(name)}]`;
      if (isRecord(entry)) out[name] = serverSamplingEntry(entry, entrySetting, problems);
      else problems.push({ kind: 'notObject', setting: entrySetting });
    }
    return { value: out, problems };
  },
};
