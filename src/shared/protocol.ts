/**
 * The typed messages between the extension host and the approval panel webview.
 * Both sides validate what arrives with the parsers below; anything malformed is dropped.
 */
import { LIMITS } from './limits';
import { readPanelStrings, type PanelStrings } from './panelStrings';
import { CLOSE_OUTCOMES, describeUnreadable, readEach, readRequestView, readResponse, type CloseOutcome, type RequestView, type ResponseView, type UnreadableView } from './requestView';
import { compact, int, Invalid, list, nonEmptyStr, num, oneOf, optStr, record, str, type Rec } from './validate';
import { readElicitationAnswer, readElicitationHostMessage, readElicitationView, type ElicitationAnswerMessage, type ElicitationHostMessage, type ElicitationView } from './elicitationMessages';

export * from './requestView';
export * from './elicitationMessages';
export { LIMITS } from './limits';

/** Fields the user changed before approving; absent fields keep the server's values. */
export interface RequestEdits {
  readonly systemPrompt?: string;
  /** Replaced texts of messages that are a single text block, by message index. */
  readonly messages?: readonly { readonly index: number; readonly text: string }[];
  readonly maxTokens?: number;
  /** `null` removes the temperature. */
  readonly temperature?: number | null;
  readonly providerId?: string;
  readonly model?: string;
}

export type Remember = 'session' | 'always';

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'approve'; readonly requestId: string; readonly edits?: RequestEdits; readonly remember?: Remember }
  | { readonly type: 'reject'; readonly requestId: string; readonly reason?: string }
  | { readonly type: 'always-allow'; readonly requestId: string; readonly edits?: RequestEdits }
  | { readonly type: 'allow-session'; readonly requestId: string; readonly edits?: RequestEdits }
  /** `text` is present when the user edited the answer. */
  | { readonly type: 'approve-response'; readonly requestId: string; readonly text?: string }
  | { readonly type: 'reject-response'; readonly requestId: string; readonly reason?: string }
  | { readonly type: 'regenerate'; readonly requestId: string }
  | { readonly type: 'manual-reply'; readonly requestId: string; readonly text: string }
  /** Open the editor's diff of the original request against the edited one. */
  | { readonly type: 'show-diff'; readonly requestId: string; readonly edits: RequestEdits }
  /** Open the complete request (what the model receives) in a read-only editor. */
  | { readonly type: 'open-full-request'; readonly requestId: string }
  /** The user's answer to an elicitation card (form values only with `accept`). */
  | ElicitationAnswerMessage;

export type HostToWebview =
  /** The whole queue, sent after `ready`. `restored` is true after a window reload brought the panel back. */
  /** `elicitations` lists the open elicitation cards (absent: none). */
  /** `unreadable` / `unreadableElicitations` are entries that failed the check: shown as "could not be displayed", never dropping the others. */
  | {
      readonly type: 'state';
      readonly requests: readonly RequestView[];
      readonly restored: boolean;
      readonly elicitations?: readonly ElicitationView[];
      readonly unreadable?: readonly UnreadableView[];
      readonly unreadableElicitations?: readonly UnreadableView[];
      /** The panel's words in the editor's display language (English for any entry missing or malformed). */
      readonly strings?: PanelStrings;
    }
  /** Produced on arrival when a `request-added`/`request-updated` view fails the check. */
  | { readonly type: 'request-unreadable'; readonly view: UnreadableView }
  /** Produced on arrival when an `elicitation-show` view fails the check. */
  | { readonly type: 'elicitation-unreadable'; readonly view: UnreadableView }
  | { readonly type: 'request-added'; readonly request: RequestView }
  | { readonly type: 'request-updated'; readonly request: RequestView }
  | { readonly type: 'delta'; readonly requestId: string; readonly text: string }
  | { readonly type: 'response'; readonly requestId: string; readonly response: ResponseView }
  | { readonly type: 'closed'; readonly requestId: string; readonly outcome: CloseOutcome; readonly reason: string }
  | { readonly type: 'error'; readonly requestId?: string; readonly message: string }
  | ElicitationHostMessage;

const requestId = (r: Rec): string => nonEmptyStr(r.requestId, LIMITS.id, 'requestId');
const reason = (r: Rec): string | undefined => optStr(r.reason, LIMITS.reason, 'reason');

function readEdits(value: unknown, path: string): RequestEdits {
  const r = record(value, path);
  let temperature: number | null | undefined;
  if (r.temperature === null) temperature = null;
  else if (r.temperature !== undefined) temperature = num(r.temperature, 0, LIMITS.temperature, `${path}.temperature`);
  return compact<RequestEdits>({
    systemPrompt: optStr(r.systemPrompt, LIMITS.text, `${path}.systemPrompt`),
    messages:
      r.messages === undefined
        ? undefined
        : list(r.messages, LIMITS.messages, `${path}.messages`, (v, p) => {
            const m = record(v, p);
            return { index: int(m.index, 0, LIMITS.messages - 1, `${p}.index`), text: str(m.text, LIMITS.text, `${p}.text`) };
          }),
    maxTokens: r.maxTokens === undefined ? undefined : int(r.maxTokens, 1, LIMITS.maxTokens, `${path}.maxTokens`),
    temperature,
    providerId: r.providerId === undefined ? undefined : nonEmptyStr(r.providerId, LIMITS.id, `${path}.providerId`),
    model: r.model === undefined ? undefined : nonEmptyStr(r.model, LIMITS.name, `${path}.model`),
  });
}

const optEdits = (r: Rec): RequestEdits | undefined => (r.edits === undefined ? undefined : readEdits(r.edits, 'edits'));

function readWebviewMessage(r: Rec): WebviewToHost {
  const type = str(r.type, 32, 'type');
  switch (type) {
    case 'ready':
      return { type };
    case 'approve':
      return compact({
        type,
        requestId: requestId(r),
        edits: optEdits(r),
        remember: r.remember === undefined ? undefined : oneOf(r.remember, ['session', 'always'] as const, 'remember'),
      });
    case 'always-allow':
    case 'allow-session':
      return compact({ type, requestId: requestId(r), edits: optEdits(r) });
    case 'reject':
    case 'reject-response':
      return compact({ type, requestId: requestId(r), reason: reason(r) });
    case 'approve-response':
      return compact({ type, requestId: requestId(r), text: optStr(r.text, LIMITS.text, 'text') });
    case 'regenerate':
      return { type, requestId: requestId(r) };
    case 'manual-reply':
      return { type, requestId: requestId(r), text: str(r.text, LIMITS.text, 'text') };
    case 'show-diff':
      return { type, requestId: requestId(r), edits: readEdits(r.edits, 'edits') };
    case 'open-full-request':
      return { type, requestId: requestId(r) };
    case 'elicitation-answer':
      return readElicitationAnswer(r);
    default:
      throw new Invalid('type');
  }
}

function readHostMessage(r: Rec): HostToWebview {
  const type = str(r.type, 32, 'type');
  switch (type) {
    case 'state': {
      const restored = r.restored;
      if (typeof restored !== 'boolean') throw new Invalid('restored');
      const requests = readEach(r.requests, LIMITS.requests, 'requests', 'requestId', readRequestView);
      const elicitations = r.elicitations === undefined ? undefined : readEach(r.elicitations, LIMITS.requests, 'elicitations', 'id', readElicitationView);
      return compact({
        type,
        requests: requests.ok,
        restored,
        elicitations: elicitations?.ok,
        unreadable: requests.unreadable.length ? requests.unreadable : undefined,
        unreadableElicitations: elicitations?.unreadable.length ? elicitations.unreadable : undefined,
        strings: r.strings === undefined ? undefined : readPanelStrings(r.strings),
      });
    }
    case 'request-added':
    case 'request-updated':
      try {
        return { type, request: readRequestView(r.request) };
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        return { type: 'request-unreadable', view: describeUnreadable(r.request, 'requestId', e) };
      }
    case 'elicitation-show':
      try {
        return readElicitationHostMessage(type, r);
      } catch (e) {
        if (!(e instanceof Invalid)) throw e;
        return { type: 'elicitation-unreadable', view: describeUnreadable(r.elicitation, 'id', e) };
      }
    case 'delta':
      return { type, requestId: requestId(r), text: str(r.text, LIMITS.delta, 'text') };
    case 'response':
      return { type, requestId: requestId(r), response: readResponse(r.response, 'response') };
    case 'closed':
      return { type, requestId: requestId(r), outcome: oneOf(r.outcome, CLOSE_OUTCOMES, 'outcome'), reason: str(r.reason, LIMITS.reason, 'reason') };
    case 'error':
      return compact({
        type,
        requestId: r.requestId === undefined ? undefined : requestId(r),
        message: str(r.message, LIMITS.reason, 'message'),
      });
    case 'elicitation-closed':
      return readElicitationHostMessage(type, r);
    default:
      throw new Invalid('type');
  }
}

function parseWith<T>(value: unknown, read: (r: Rec) => T): T | undefined {
  try {
    return read(record(value, 'message'));
  } catch (e) {
    if (e instanceof Invalid) return undefined;
    throw e;
  }
}

/** Validates a message from the webview (host side). Returns undefined for anything malformed. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  return parseWith(value, readWebviewMessage);
}

/** Validates a message from the host (webview side). Returns undefined for anything malformed. */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  return parseWith(value, readHostMessage);
}
