/**
 * The elicitation part of the host<->webview protocol: what a card shows (`ElicitationView`) and
 * what the user answers. The webview re-checks the server's request with the same validator the host
 * used, and the host re-checks the answer, so neither side trusts the other's copy.
 */
import { ElicitationError, parseElicitationRequest, type ElicitAction, type ElicitValue, type PropertySchema, type RequestedSchema } from './elicitation';
import { ELICITATION_LIMITS, LIMITS } from './limits';
import { compact, Invalid, list, nonEmptyStr, oneOf, optStr, record, str, type Rec } from './validate';

export const ELICIT_ACTIONS: readonly ElicitAction[] = ['accept', 'decline', 'cancel'];

/** Bounds of an answer (the request side is bounded by parseElicitationRequest). */
export const ELICIT_LIMITS = ELICITATION_LIMITS;

interface ElicitationViewBase {
  /** The panel's id for this elicitation (not the server's JSON-RPC id). */
  readonly id: string;
  readonly serverName: string;
  readonly message: string;
  /** Set once the elicitation is over (answered, or cancelled by the server); the card is read-only. */
  readonly closedReason?: string;
}

export type ElicitationView =
  | (ElicitationViewBase & { readonly mode: 'form'; readonly requestedSchema: RequestedSchema; readonly defaults: Readonly<Record<string, ElicitValue>> })
  | (ElicitationViewBase & { readonly mode: 'url'; readonly url: string; readonly host: string });

export type ElicitationAnswerMessage = {
  readonly type: 'elicitation-answer';
  readonly elicitationId: string;
  readonly action: ElicitAction;
  /** Only with `accept` in form mode. */
  readonly content?: Readonly<Record<string, ElicitValue>>;
};

export type ElicitationHostMessage =
  | { readonly type: 'elicitation-show'; readonly elicitation: ElicitationView }
  | { readonly type: 'elicitation-closed'; readonly elicitationId: string; readonly reason: string };

const clip = (value: unknown, max: number): string | undefined => (typeof value === 'string' ? value.slice(0, max) : undefined);
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const options = (value: readonly { const: string; title?: string }[] | undefined) =>
  value?.map((o) => compact({ const: o.const, title: clip(o.title, LIMITS.name) }));

/**
 * A copy of a validated schema with only the keys the card uses, strings clipped: the server's
 * other keys (and its defaults, which travel separately once checked) never reach the webview.
 */
export function sanitizeRequestedSchema(schema: RequestedSchema): RequestedSchema {
  const properties: Record<string, PropertySchema> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const enumNames = (p as { enumNames?: unknown }).enumNames;
    properties[name] = compact({
      type: p.type,
      title: clip(p.title, LIMITS.name),
      description: clip(p.description, LIMITS.reason),
      minLength: finite(p.minLength),
      maxLength: finite(p.maxLength),
      format: clip(p.format, 64),
      minimum: finite(p.minimum),
      maximum: finite(p.maximum),
      enum: p.enum ? [...p.enum] : undefined,
      oneOf: options(p.oneOf),
      ...(Array.isArray(enumNames) && enumNames.every((n) => typeof n === 'string') ? { enumNames: enumNames.map((n: string) => n.slice(0, LIMITS.name)) } : {}),
      items: p.items ? compact({ type: clip(p.items.type, 16), enum: p.items.enum ? [...p.items.enum] : undefined, anyOf: options(p.items.anyOf) }) : undefined,
      minItems: finite(p.minItems),
      maxItems: finite(p.maxItems),
    }) as PropertySchema;
  }
  return { type: 'object', properties, ...(schema.required ? { required: [...schema.required] } : {}) };
}

function readValue(value: unknown, path: string): ElicitValue {
  if (typeof value === 'string') return str(value, ELICIT_LIMITS.value, path);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Invalid(path);
    return value;
  }
  if (typeof value === 'boolean') return value;
  return list(value, ELICIT_LIMITS.choices, path, (v, p) => str(v, ELICIT_LIMITS.value, p));
}

/** Form content: a flat record of strings, numbers, booleans and string lists, bounded. */
export function readElicitationContent(value: unknown, path: string): Record<string, ElicitValue> {
  const r = record(value, path);
  const names = Object.keys(r);
  if (names.length > ELICIT_LIMITS.fields) throw new Invalid(path);
  const content: Record<string, ElicitValue> = {};
  for (const name of names) {
    str(name, LIMITS.name, `${path}.<name>`);
    content[name] = readValue(r[name], `${path}.${name}`);
  }
  return content;
}

export function readElicitationView(value: unknown, path = 'elicitation'): ElicitationView {
  const r = record(value, path);
  const base = compact({
    id: nonEmptyStr(r.id, LIMITS.id, `${path}.id`),
    serverName: str(r.serverName, LIMITS.name, `${path}.serverName`),
    message: str(r.message, LIMITS.reason * 2, `${path}.message`),
    closedReason: optStr(r.closedReason, LIMITS.reason, `${path}.closedReason`),
  });
  let request;
  try {
    request = parseElicitationRequest({ mode: r.mode, message: base.message, requestedSchema: r.requestedSchema, url: r.url });
  } catch (e) {
    if (e instanceof ElicitationError) throw new Invalid(`${path}: ${e.message}`);
    throw e;
  }
  if (request.mode === 'url') {
    const host = str(r.host, LIMITS.name, `${path}.host`);
    // The host shown must be the URL's own, whatever the sender claims.
    if (host !== new URL(request.url).host) throw new Invalid(`${path}.host`);
    return { ...base, mode: 'url', url: request.url, host };
  }
  return { ...base, mode: 'form', requestedSchema: sanitizeRequestedSchema(request.requestedSchema), defaults: readElicitationContent(r.defaults ?? {}, `${path}.defaults`) };
}

export function readElicitationAnswer(r: Rec): ElicitationAnswerMessage {
  const action = oneOf(r.action, ELICIT_ACTIONS, 'action');
  if (r.content !== undefined && action !== 'accept') throw new Invalid('content');
  return compact({
    type: 'elicitation-answer' as const,
    elicitationId: nonEmptyStr(r.elicitationId, LIMITS.id, 'elicitationId'),
    action,
    content: r.content === undefined ? undefined : readElicitationContent(r.content, 'content'),
  });
}

export function readElicitationHostMessage(type: 'elicitation-show' | 'elicitation-closed', r: Rec): ElicitationHostMessage {
  if (type === 'elicitation-show') return { type, elicitation: readElicitationView(r.elicitation) };
  return { type, elicitationId: nonEmptyStr(r.elicitationId, LIMITS.id, 'elicitationId'), reason: str(r.reason, LIMITS.reason, 'reason') };
}
