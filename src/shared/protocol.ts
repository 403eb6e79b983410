/**
 * The typed messages between the extension host and the approval panel webview, each declared once
 * as a schema: its type is the schema's output, its reader the schema. Both sides validate what
 * arrives with the parsers below; anything malformed is dropped, except one bad view inside a
 * message, which arrives as "could not be displayed" (never dropping the others).
 */
import * as z from 'zod/mini';
import { LIMITS } from './limits';
import { readPanelStrings } from './panelStrings';
import { CLOSE_OUTCOMES, readableList, requestView, responseView, viewMessage } from './requestView';
import { bounded, integer, listOf, nonEmpty, parseOrUndefined, text } from './validate';
import { elicitationAnswerMessage, elicitationHostMessages, elicitationView } from './elicitationMessages';

export * from './requestView';
export * from './elicitationMessages';
export { LIMITS } from './limits';

const requestId = nonEmpty(LIMITS.id);
const reason = z.optional(text(LIMITS.reason));

/** Fields the user changed before approving; absent fields keep the server's values. */
const requestEdits = z.object({
  systemPrompt: z.optional(text(LIMITS.text)),
  /** Replaced texts of messages that are a single text block, by message index. */
  messages: z.optional(listOf(z.object({ index: integer(0, LIMITS.messages - 1), text: text(LIMITS.text) }), LIMITS.messages)),
  maxTokens: z.optional(integer(1, LIMITS.maxTokens)),
  /** `null` removes the temperature. */
  temperature: z.optional(z.nullable(bounded(0, LIMITS.temperature))),
  providerId: z.optional(nonEmpty(LIMITS.id)),
  model: z.optional(nonEmpty(LIMITS.name)),
});
export type RequestEdits = z.output<typeof requestEdits>;

/** "Remember this approval": for the rest of the session, or always. */
export const REMEMBER = ['session', 'always'] as const;
export type Remember = (typeof REMEMBER)[number];

const webviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('approve'), requestId, edits: z.optional(requestEdits), remember: z.optional(z.enum(REMEMBER)) }),
  z.object({ type: z.literal('reject'), requestId, reason }),
  /** `text` is present when the user edited the answer. */
  z.object({ type: z.literal('approve-response'), requestId, text: z.optional(text(LIMITS.text)) }),
  z.object({ type: z.literal('reject-response'), requestId, reason }),
  z.object({ type: z.literal('regenerate'), requestId }),
  z.object({ type: z.literal('manual-reply'), requestId, text: text(LIMITS.text) }),
  /** Open the editor's diff of the original request against the edited one. */
  z.object({ type: z.literal('show-diff'), requestId, edits: requestEdits }),
  /** Open the complete request (what the model receives) in a read-only editor. */
  z.object({ type: z.literal('open-full-request'), requestId }),
  /** The user's answer to an elicitation card (form values only with `accept`). */
  elicitationAnswerMessage,
  /** An error in the panel's own code, for the host's log (what the user saw is in the panel). */
  z.object({ type: z.literal('panel-error'), message: text(LIMITS.reason) }),
]);
export type WebviewToHost = z.output<typeof webviewMessage>;

/**
 * The whole queue, sent after `ready`. `restored` is true after a window reload brought the panel
 * back; `elicitations` lists the open elicitation cards (absent: none); `strings` are the panel's
 * words in the editor's display language (English for any entry missing or malformed). On arrival,
 * entries that fail the check move to `unreadable` / `unreadableElicitations`.
 */
const stateMessage = z.pipe(
  z.object({
    type: z.literal('state'),
    requests: readableList(requestView, LIMITS.requests, 'requests', 'requestId'),
    restored: z.boolean(),
    elicitations: z.optional(readableList(elicitationView, LIMITS.requests, 'elicitations', 'id')),
    strings: z.optional(z.pipe(z.unknown(), z.transform(readPanelStrings))),
  }),
  z.transform(({ requests, elicitations, ...rest }) => ({
    ...rest,
    requests: requests.ok,
    ...(elicitations ? { elicitations: elicitations.ok } : {}),
    ...(requests.unreadable.length ? { unreadable: requests.unreadable } : {}),
    ...(elicitations?.unreadable.length ? { unreadableElicitations: elicitations.unreadable } : {}),
  })),
);

const hostMessage = z.discriminatedUnion('type', [
  stateMessage,
  // A view that fails the check arrives as `request-unreadable` / `elicitation-unreadable`.
  viewMessage('request-added', 'request', requestView, 'requestId', 'request-unreadable'),
  viewMessage('request-updated', 'request', requestView, 'requestId', 'request-unreadable'),
  z.object({ type: z.literal('delta'), requestId, text: text(LIMITS.delta) }),
  z.object({ type: z.literal('response'), requestId, response: responseView }),
  z.object({ type: z.literal('closed'), requestId, outcome: z.enum(CLOSE_OUTCOMES), reason: text(LIMITS.reason) }),
  z.object({ type: z.literal('error'), requestId: z.optional(requestId), message: text(LIMITS.reason) }),
  ...elicitationHostMessages,
]);
export type HostToWebview = z.output<typeof hostMessage>;

/** Validates a message from the webview (host side). Returns undefined for anything malformed. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  return parseOrUndefined(webviewMessage, value);
}

/** Validates a message from the host (webview side). Returns undefined for anything malformed. */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  return parseOrUndefined(hostMessage, value);
}
