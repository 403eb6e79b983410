/**
 * What the approval panel shows for one sampling request. Built by the host from an ApprovalRequest;
 * carries only display data (never API keys, provider headers or endpoints). Each view is declared
 * once, as a schema: its type is the schema's output, its reader the schema (src/shared/validate.ts).
 */
import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { ROUTE_NAMES } from './routeLabel';
import { bounded, describeIssue, integer, listOf, nonEmpty, text } from './validate';

export const REQUEST_STATES = ['pending', 'streaming', 'review', 'closed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** The finer step behind a state: what the request waits for now. */
export const REQUEST_STEPS = ['approval', 'answering', 'manual-reply', 'review', 'done'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

export const CLOSE_OUTCOMES = ['answered', 'rejected', 'cancelled', 'failed'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

const ROLES = ['user', 'assistant'] as const;

const MEDIA_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/i;

/** A media type the panel accepts: bounded before the pattern runs (the host builds views with this too). */
export function isMediaType(value: string): boolean {
  return value.length <= LIMITS.mimeType && MEDIA_TYPE.test(value);
}

// Bounded before the pattern runs (`abort`), like isMediaType.
const mediaType = z.string().check(z.maxLength(LIMITS.mimeType, { abort: true }), z.regex(MEDIA_TYPE));
const media = <T extends 'image' | 'audio'>(type: T) => z.object({ type: z.literal(type), mimeType: mediaType, data: text(LIMITS.media) });

/** The blocks a tool result may hold: every kind but a tool result. */
const LEAF_CONTENT_VIEWS = [
  z.object({ type: z.literal('text'), text: text(LIMITS.text) }),
  media('image'),
  media('audio'),
  z.object({ type: z.literal('tool_use'), id: text(LIMITS.id), name: text(LIMITS.name), input: text(LIMITS.json) }),
  z.object({ type: z.literal('resource'), uri: text(LIMITS.uri), mimeType: z.optional(text(LIMITS.mimeType)), text: z.optional(text(LIMITS.text)) }),
  /** Anything else, shown as JSON. */
  z.object({ type: z.literal('other'), json: text(LIMITS.json) }),
] as const;
const leafContentView = z.discriminatedUnion('type', LEAF_CONTENT_VIEWS);
export type LeafContentView = z.output<typeof leafContentView>;

const contentView = z.discriminatedUnion('type', [
  ...LEAF_CONTENT_VIEWS,
  z.object({
    type: z.literal('tool_result'),
    toolUseId: text(LIMITS.id),
    isError: z.boolean(),
    content: listOf(leafContentView, LIMITS.blocks),
    structured: z.optional(text(LIMITS.json)),
  }),
]);
export type ContentView = z.output<typeof contentView>;
const blocks = listOf(contentView, LIMITS.blocks);

const messageView = z.object({ role: z.enum(ROLES), content: blocks });
export type MessageView = z.output<typeof messageView>;

const modelView = z.object({ id: nonEmpty(LIMITS.name), name: z.optional(text(LIMITS.name)), maxInputTokens: z.optional(integer(0)) });

const providerView = z.object({ id: nonEmpty(LIMITS.id), label: text(LIMITS.name), models: listOf(modelView, LIMITS.models) });

const priority = z.optional(bounded(0, 1));
const modelPreferencesView = z.object({
  hints: listOf(text(LIMITS.name), LIMITS.hints),
  costPriority: priority,
  speedPriority: priority,
  intelligencePriority: priority,
});

const toolView = z.object({ name: text(LIMITS.name), description: z.optional(text(LIMITS.text)), inputSchema: text(LIMITS.json) });

export const responseView = z.object({
  model: text(LIMITS.name),
  stopReason: text(LIMITS.name),
  content: blocks,
  inputTokens: z.optional(integer(0)),
  outputTokens: z.optional(integer(0)),
});
export type ResponseView = z.output<typeof responseView>;

export const requestView = z.object({
  requestId: nonEmpty(LIMITS.id),
  serverName: text(LIMITS.name),
  serverSource: text(LIMITS.name),
  route: z.enum(ROUTE_NAMES),
  /** The MCP revision of the connection, e.g. `2026-07-28`. */
  protocolVersion: z.optional(text(32)),
  /** The tool call the request provably belongs to ("during tool call X"). */
  toolCallName: z.optional(text(LIMITS.name)),
  /** Not proven: the one tool call running when it arrived ("while X was running"). */
  runningToolName: z.optional(text(LIMITS.name)),
  /** Who made the tool call, e.g. "VS Code agent via the gateway" (gateway calls only). */
  toolCaller: z.optional(text(LIMITS.name)),
  receivedAt: bounded(0, LIMITS.timestamp),
  systemPrompt: z.optional(text(LIMITS.text)),
  messages: listOf(messageView, LIMITS.messages),
  maxTokens: integer(1, LIMITS.maxTokens),
  temperature: z.optional(bounded(0, LIMITS.temperature)),
  stopSequences: listOf(text(LIMITS.name), LIMITS.stopSequences),
  includeContext: z.optional(text(32)),
  modelPreferences: z.optional(modelPreferencesView),
  metadata: z.optional(text(LIMITS.json)),
  tools: listOf(toolView, LIMITS.tools),
  toolChoice: z.optional(text(32)),
  choice: z.object({ providerId: text(LIMITS.id), model: text(LIMITS.name), reason: text(LIMITS.reason) }),
  providers: listOf(providerView, LIMITS.providers),
  tokenEstimate: integer(0),
  maxInputTokens: z.optional(integer(0)),
  warnings: listOf(text(LIMITS.reason), LIMITS.warnings),
  /** What the panel leaves out of this request although the model receives it (absent: nothing). */
  notShown: z.optional(listOf(text(LIMITS.reason), LIMITS.warnings)),
  state: z.enum(REQUEST_STATES),
  step: z.enum(REQUEST_STEPS),
  /** The answer as streamed so far (text deltas), or the text of the final response. */
  responseText: text(LIMITS.text),
  response: z.optional(responseView),
  error: z.optional(text(LIMITS.reason)),
  closed: z.optional(z.object({ outcome: z.enum(CLOSE_OUTCOMES), reason: text(LIMITS.reason) })),
});
export type RequestView = z.output<typeof requestView>;

/** The text of a message when it is exactly one text block: only such messages are editable. */
export function editableText(message: MessageView): string | undefined {
  const [first, ...rest] = message.content;
  return first?.type === 'text' && rest.length === 0 ? first.text : undefined;
}

/** What the panel knows of a view it could not read: enough to name it and act on it (made on arrival, never sent). */
export interface UnreadableView {
  readonly id?: string;
  readonly serverName?: string;
  /** The field that failed the check. */
  readonly problem: string;
}

/** Names an entry that failed `error`'s check by what of it can be trusted: its id and server name, bounded. */
export function describeUnreadable(value: unknown, idKey: string, path: string, error: z.core.$ZodError): UnreadableView {
  const r = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const id = r[idKey];
  const serverName = r.serverName;
  const [issue] = error.issues;
  return {
    ...(typeof id === 'string' && id.length > 0 && id.length <= LIMITS.id ? { id } : {}),
    ...(typeof serverName === 'string' && serverName.length <= LIMITS.name ? { serverName } : {}),
    problem: (issue ? describeIssue(path, issue) : path).slice(0, LIMITS.name),
  };
}

/**
 * A list read entry by entry: an entry that fails `item` becomes an UnreadableView ("could not be
 * displayed") instead of failing the list, so one bad entry never drops the others.
 */
export function readableList<T extends z.ZodMiniType>(item: T, max: number, path: string, idKey: string) {
  return z.pipe(
    z.array(z.unknown()).check(z.maxLength(max)),
    z.transform((entries) => {
      const ok: z.output<T>[] = [];
      const unreadable: UnreadableView[] = [];
      entries.forEach((entry, i) => {
        const result = item.safeParse(entry);
        if (result.success) ok.push(result.data);
        else unreadable.push(describeUnreadable(entry, idKey, `${path}[${i}]`, result.error));
      });
      return { ok, unreadable };
    }),
  );
}

/** A message carrying one view: a view that fails its check arrives as `unreadableType` instead. */
export function viewMessage<Type extends string, Key extends string, T extends z.ZodMiniType, Unreadable extends string>(type: Type, key: Key, view: T, idKey: string, unreadableType: Unreadable) {
  return z.pipe(
    z.object({ type: z.literal(type), [key]: z.optional(z.unknown()) } as { type: z.ZodMiniLiteral<Type> } & Record<Key, z.ZodMiniOptional<z.ZodMiniUnknown>>),
    z.transform((message) => {
      const raw = (message as Record<string, unknown>)[key];
      const result = view.safeParse(raw);
      if (result.success) return { type, [key]: result.data } as { readonly type: Type } & { readonly [K in Key]: z.output<T> };
      return { type: unreadableType, view: describeUnreadable(raw, idKey, key, result.error) };
    }),
  );
}
