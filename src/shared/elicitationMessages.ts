/**
 * The elicitation part of the host<->webview protocol: what a card shows (`ElicitationView`) and
 * what the user answers. The webview re-checks the server's request with the same validator the host
 * used, and the host re-checks the answer, so neither side trusts the other's copy.
 */
import * as z from 'zod/mini';
import { ElicitationError, parseElicitationRequest, type ElicitAction, type PropertySchema, type RequestedSchema } from './elicitation';
import { isRecord } from './isRecord';
import { ELICITATION_LIMITS, LIMITS } from './limits';
import { viewMessage } from './requestView';
import { listOf, nonEmpty, text, withoutUndefined } from './validate';

export const ELICIT_ACTIONS = ['accept', 'decline', 'cancel'] as const satisfies readonly ElicitAction[];

/** Bounds of an answer (the request side is bounded by parseElicitationRequest). */
export const ELICIT_LIMITS = ELICITATION_LIMITS;

/** Form content: a flat record of strings, numbers, booleans and string lists, bounded (names counted before they are read). */
const elicitationContent = z.pipe(
  z.custom<Record<string, unknown>>((value) => isRecord(value) && Object.keys(value).length <= ELICIT_LIMITS.fields),
  z.record(text(LIMITS.name), z.union([text(ELICIT_LIMITS.value), z.number(), z.boolean(), listOf(text(ELICIT_LIMITS.value), ELICIT_LIMITS.choices)])),
);

export const elicitationAnswerMessage = z.object({
  type: z.literal('elicitation-answer'),
  elicitationId: nonEmpty(LIMITS.id),
  action: z.enum(ELICIT_ACTIONS),
  /** Only with `accept` in form mode. */
  content: z.optional(elicitationContent),
}).check(z.refine((m) => m.content === undefined || m.action === 'accept', { path: ['content'] }));
export type ElicitationAnswerMessage = z.output<typeof elicitationAnswerMessage>;

/**
 * One elicitation card. The fields the card shows are checked here; the server's request itself
 * (mode, schema, URL) is checked again with the same validator the host used.
 */
export const elicitationView = z.pipe(
  z.object({
    /** The panel's id for this elicitation (not the server's JSON-RPC id). */
    id: nonEmpty(LIMITS.id),
    serverName: text(LIMITS.name),
    message: text(LIMITS.reason * 2),
    /** Set once the elicitation is over (answered, or cancelled by the server); the card is read-only. */
    closedReason: z.optional(text(LIMITS.reason)),
    // The request's own fields: parseElicitationRequest checks them below.
    mode: z.optional(z.unknown()),
    requestedSchema: z.optional(z.unknown()),
    url: z.optional(z.unknown()),
    host: z.optional(z.unknown()),
    defaults: z.optional(z.unknown()),
  }),
  z.transform(({ mode, requestedSchema, url, host, defaults, ...base }, ctx) => {
    const fail = (message: string, path: PropertyKey[] = []) => {
      ctx.issues.push({ code: 'custom', message, input: undefined, path });
      return z.NEVER;
    };
    let request;
    try {
      request = parseElicitationRequest({ mode, message: base.message, requestedSchema, url });
    } catch (e) {
      if (e instanceof ElicitationError) return fail(e.message);
      throw e;
    }
    if (request.mode === 'url') {
      // The host shown must be the URL's own, whatever the sender claims.
      if (typeof host !== 'string' || host !== new URL(request.url).host) return fail('the host is not the URL\'s', ['host']);
      return { ...base, mode: 'url' as const, url: request.url, host };
    }
    const content = elicitationContent.safeParse(defaults ?? {});
    if (!content.success) return fail('malformed defaults', ['defaults', ...(content.error.issues[0]?.path ?? [])]);
    return { ...base, mode: 'form' as const, requestedSchema: sanitizeRequestedSchema(request.requestedSchema), defaults: content.data };
  }),
);
export type ElicitationView = z.output<typeof elicitationView>;

/** Reads one elicitation view; throws when it is malformed. */
export const readElicitationView = (value: unknown): ElicitationView => elicitationView.parse(value);

export const elicitationHostMessages = [
  viewMessage('elicitation-show', 'elicitation', elicitationView, 'id', 'elicitation-unreadable'),
  z.object({ type: z.literal('elicitation-closed'), elicitationId: nonEmpty(LIMITS.id), reason: text(LIMITS.reason) }),
] as const;

const clip = (value: unknown, max: number): string | undefined => (typeof value === 'string' ? value.slice(0, max) : undefined);
const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const options = (value: readonly { const: string; title?: string }[] | undefined) =>
  value?.map((o) => withoutUndefined({ const: o.const, title: clip(o.title, LIMITS.name) }));

/**
 * A copy of a validated schema with only the keys the card uses, strings clipped: the server's
 * other keys (and its defaults, which travel separately once checked) never reach the webview.
 */
export function sanitizeRequestedSchema(schema: RequestedSchema): RequestedSchema {
  const properties: Record<string, PropertySchema> = {};
  for (const [name, p] of Object.entries(schema.properties)) {
    const enumNames = (p as { enumNames?: unknown }).enumNames;
    properties[name] = withoutUndefined({
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
      items: p.items ? withoutUndefined({ type: clip(p.items.type, 16), enum: p.items.enum ? [...p.items.enum] : undefined, anyOf: options(p.items.anyOf) }) : undefined,
      minItems: finite(p.minItems),
      maxItems: finite(p.maxItems),
    }) as PropertySchema;
  }
  return { type: 'object', properties, ...(schema.required ? { required: [...schema.required] } : {}) };
}
