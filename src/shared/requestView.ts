/**
 * What the approval panel shows for one sampling request. Built by the host from an ApprovalRequest;
 * carries only display data (never API keys, provider headers or endpoints).
 */
import { LIMITS } from './limits';
import { bool, compact, int, list, nonEmptyStr, num, oneOf, optNum, optStr, record, str, Invalid } from './validate';
import { ROUTE_NAMES, type RouteName } from './routeLabel';

export type ContentView =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly mimeType: string; readonly data: string }
  | { readonly type: 'audio'; readonly mimeType: string; readonly data: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: string }
  | {
      readonly type: 'tool_result';
      readonly toolUseId: string;
      readonly isError: boolean;
      readonly content: readonly ContentView[];
      readonly structured?: string;
    }
  | { readonly type: 'resource'; readonly uri: string; readonly mimeType?: string; readonly text?: string }
  /** Anything else, shown as JSON. */
  | { readonly type: 'other'; readonly json: string };

export type Role = 'user' | 'assistant';

export interface MessageView {
  readonly role: Role;
  readonly content: readonly ContentView[];
}

export interface ModelView {
  readonly id: string;
  readonly name?: string;
  readonly maxInputTokens?: number;
}

export interface ProviderView {
  readonly id: string;
  readonly label: string;
  readonly models: readonly ModelView[];
}

export interface ModelPreferencesView {
  readonly hints: readonly string[];
  readonly costPriority?: number;
  readonly speedPriority?: number;
  readonly intelligencePriority?: number;
}

export interface ToolView {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: string;
}

export interface ResponseView {
  readonly model: string;
  readonly stopReason: string;
  readonly content: readonly ContentView[];
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

export const REQUEST_STATES = ['pending', 'streaming', 'review', 'closed'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** The finer step behind a state: what the request waits for now. */
export const REQUEST_STEPS = ['approval', 'answering', 'manual-reply', 'review', 'done'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

export const CLOSE_OUTCOMES = ['answered', 'rejected', 'cancelled', 'failed'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export interface RequestView {
  readonly requestId: string;
  readonly serverName: string;
  readonly serverSource: string;
  readonly route: RouteName;
  /** The MCP revision of the connection, e.g. `2026-07-28`. */
  readonly protocolVersion?: string;
  /** The tool call the request provably belongs to ("during tool call X"). */
  readonly toolCallName?: string;
  /** Not proven: the one tool call running when it arrived ("while X was running"). */
  readonly runningToolName?: string;
  /** Who made the tool call, e.g. "VS Code agent via the gateway" (gateway calls only). */
  readonly toolCaller?: string;
  readonly receivedAt: number;
  readonly systemPrompt?: string;
  readonly messages: readonly MessageView[];
  readonly maxTokens: number;
  readonly temperature?: number;
  readonly stopSequences: readonly string[];
  readonly includeContext?: string;
  readonly modelPreferences?: ModelPreferencesView;
  readonly metadata?: string;
  readonly tools: readonly ToolView[];
  readonly toolChoice?: string;
  readonly choice: { readonly providerId: string; readonly model: string; readonly reason: string };
  readonly providers: readonly ProviderView[];
  readonly tokenEstimate: number;
  readonly maxInputTokens?: number;
  readonly warnings: readonly string[];
  /** What the panel leaves out of this request although the model receives it (absent: nothing). */
  readonly notShown?: readonly string[];
  readonly state: RequestState;
  readonly step: RequestStep;
  /** The answer as streamed so far (text deltas), or the text of the final response. */
  readonly responseText: string;
  readonly response?: ResponseView;
  readonly error?: string;
  readonly closed?: { readonly outcome: CloseOutcome; readonly reason: string };
}

const mediaType = /^[a-z]+\/[a-z0-9.+-]+$/i;

/** A media type the panel accepts: bounded before the pattern runs (the host builds views with this too). */
export function isMediaType(value: string): boolean {
  return value.length <= LIMITS.mimeType && mediaType.test(value);
}

export function readContent(value: unknown, path: string, depth = 0): ContentView {
  const r = record(value, path);
  const type = str(r.type, 32, `${path}.type`);
  switch (type) {
    case 'text':
      return { type, text: str(r.text, LIMITS.text, `${path}.text`) };
    case 'image':
    case 'audio': {
      const mimeType = str(r.mimeType, LIMITS.mimeType, `${path}.mimeType`);
      if (!isMediaType(mimeType)) throw new Invalid(`${path}.mimeType`);
      return { type, mimeType, data: str(r.data, LIMITS.media, `${path}.data`) };
    }
    case 'tool_use':
      return {
        type,
        id: str(r.id, LIMITS.id, `${path}.id`),
        name: str(r.name, LIMITS.name, `${path}.name`),
        input: str(r.input, LIMITS.json, `${path}.input`),
      };
    case 'tool_result':
      if (depth > 0) throw new Invalid(`${path}.type`);
      return compact({
        type,
        toolUseId: str(r.toolUseId, LIMITS.id, `${path}.toolUseId`),
        isError: bool(r.isError, `${path}.isError`),
        content: list(r.content, LIMITS.blocks, `${path}.content`, (v, p) => readContent(v, p, depth + 1)),
        structured: optStr(r.structured, LIMITS.json, `${path}.structured`),
      });
    case 'resource':
      return compact({
        type,
        uri: str(r.uri, LIMITS.uri, `${path}.uri`),
        mimeType: optStr(r.mimeType, LIMITS.mimeType, `${path}.mimeType`),
        text: optStr(r.text, LIMITS.text, `${path}.text`),
      });
    case 'other':
      return { type, json: str(r.json, LIMITS.json, `${path}.json`) };
    default:
      throw new Invalid(`${path}.type`);
  }
}

function readMessage(value: unknown, path: string): MessageView {
  const r = record(value, path);
  return {
    role: oneOf(r.role, ['user', 'assistant'] as const, `${path}.role`),
    content: list(r.content, LIMITS.blocks, `${path}.content`, (v, p) => readContent(v, p)),
  };
}

function readProvider(value: unknown, path: string): ProviderView {
  const r = record(value, path);
  return {
    id: nonEmptyStr(r.id, LIMITS.id, `${path}.id`),
    label: str(r.label, LIMITS.name, `${path}.label`),
    models: list(r.models, LIMITS.models, `${path}.models`, (v, p) => {
      const m = record(v, p);
      return compact({
        id: nonEmptyStr(m.id, LIMITS.name, `${p}.id`),
        name: optStr(m.name, LIMITS.name, `${p}.name`),
        maxInputTokens: m.maxInputTokens === undefined ? undefined : int(m.maxInputTokens, 0, Number.MAX_SAFE_INTEGER, `${p}.maxInputTokens`),
      });
    }),
  };
}

const priority = (v: unknown, p: string): number | undefined => optNum(v, 0, 1, p);

export function readResponse(value: unknown, path: string): ResponseView {
  const r = record(value, path);
  return compact({
    model: str(r.model, LIMITS.name, `${path}.model`),
    stopReason: str(r.stopReason, LIMITS.name, `${path}.stopReason`),
    content: list(r.content, LIMITS.blocks, `${path}.content`, (v, p) => readContent(v, p)),
    inputTokens: r.inputTokens === undefined ? undefined : int(r.inputTokens, 0, Number.MAX_SAFE_INTEGER, `${path}.inputTokens`),
    outputTokens: r.outputTokens === undefined ? undefined : int(r.outputTokens, 0, Number.MAX_SAFE_INTEGER, `${path}.outputTokens`),
  });
}

export function readRequestView(value: unknown, path = 'request'): RequestView {
  const r = record(value, path);
  const choice = record(r.choice, `${path}.choice`);
  const prefs = r.modelPreferences === undefined ? undefined : record(r.modelPreferences, `${path}.modelPreferences`);
  const closed = r.closed === undefined ? undefined : record(r.closed, `${path}.closed`);
  return compact<RequestView>({
    requestId: nonEmptyStr(r.requestId, LIMITS.id, `${path}.requestId`),
    serverName: str(r.serverName, LIMITS.name, `${path}.serverName`),
    serverSource: str(r.serverSource, LIMITS.name, `${path}.serverSource`),
    route: oneOf(r.route, ROUTE_NAMES, `${path}.route`),
    protocolVersion: optStr(r.protocolVersion, 32, `${path}.protocolVersion`),
    toolCallName: optStr(r.toolCallName, LIMITS.name, `${path}.toolCallName`),
    runningToolName: optStr(r.runningToolName, LIMITS.name, `${path}.runningToolName`),
    toolCaller: optStr(r.toolCaller, LIMITS.name, `${path}.toolCaller`),
    receivedAt: num(r.receivedAt, 0, LIMITS.timestamp, `${path}.receivedAt`),
    systemPrompt: optStr(r.systemPrompt, LIMITS.text, `${path}.systemPrompt`),
    messages: list(r.messages, LIMITS.messages, `${path}.messages`, readMessage),
    maxTokens: int(r.maxTokens, 1, LIMITS.maxTokens, `${path}.maxTokens`),
    temperature: optNum(r.temperature, 0, LIMITS.temperature, `${path}.temperature`),
    stopSequences: list(r.stopSequences, LIMITS.stopSequences, `${path}.stopSequences`, (v, p) => str(v, LIMITS.name, p)),
    includeContext: optStr(r.includeContext, 32, `${path}.includeContext`),
    modelPreferences:
      prefs &&
      compact({
        hints: list(prefs.hints, LIMITS.hints, `${path}.modelPreferences.hints`, (v, p) => str(v, LIMITS.name, p)),
        costPriority: priority(prefs.costPriority, `${path}.modelPreferences.costPriority`),
        speedPriority: priority(prefs.speedPriority, `${path}.modelPreferences.speedPriority`),
        intelligencePriority: priority(prefs.intelligencePriority, `${path}.modelPreferences.intelligencePriority`),
      }),
    metadata: optStr(r.metadata, LIMITS.json, `${path}.metadata`),
    tools: list(r.tools, LIMITS.tools, `${path}.tools`, (v, p) => {
      const t = record(v, p);
      return compact({
        name: str(t.name, LIMITS.name, `${p}.name`),
        description: optStr(t.description, LIMITS.text, `${p}.description`),
        inputSchema: str(t.inputSchema, LIMITS.json, `${p}.inputSchema`),
      });
    }),
    toolChoice: optStr(r.toolChoice, 32, `${path}.toolChoice`),
    choice: {
      providerId: str(choice.providerId, LIMITS.id, `${path}.choice.providerId`),
      model: str(choice.model, LIMITS.name, `${path}.choice.model`),
      reason: str(choice.reason, LIMITS.reason, `${path}.choice.reason`),
    },
    providers: list(r.providers, LIMITS.providers, `${path}.providers`, readProvider),
    tokenEstimate: int(r.tokenEstimate, 0, Number.MAX_SAFE_INTEGER, `${path}.tokenEstimate`),
    maxInputTokens: r.maxInputTokens === undefined ? undefined : int(r.maxInputTokens, 0, Number.MAX_SAFE_INTEGER, `${path}.maxInputTokens`),
    warnings: list(r.warnings, LIMITS.warnings, `${path}.warnings`, (v, p) => str(v, LIMITS.reason, p)),
    notShown: r.notShown === undefined ? undefined : list(r.notShown, LIMITS.warnings, `${path}.notShown`, (v, p) => str(v, LIMITS.reason, p)),
    state: oneOf(r.state, REQUEST_STATES, `${path}.state`),
    step: oneOf(r.step, REQUEST_STEPS, `${path}.step`),
    responseText: str(r.responseText, LIMITS.text, `${path}.responseText`),
    response: r.response === undefined ? undefined : readResponse(r.response, `${path}.response`),
    error: optStr(r.error, LIMITS.reason, `${path}.error`),
    closed: closed && {
      outcome: oneOf(closed.outcome, CLOSE_OUTCOMES, `${path}.closed.outcome`),
      reason: str(closed.reason, LIMITS.reason, `${path}.closed.reason`),
    },
  });
}

/** The text of a message when it is exactly one text block: only such messages are editable. */
export function editableText(message: MessageView): string | undefined {
  const [first, ...rest] = message.content;
  return first?.type === 'text' && rest.length === 0 ? first.text : undefined;
}

/** What the panel knows of a view it could not read: enough to name it and act on it. */
export interface UnreadableView {
  readonly id?: string;
  readonly serverName?: string;
  /** The field that failed the check. */
  readonly problem: string;
}

/** Reads each entry on its own: one bad entry becomes an UnreadableView instead of failing the list. */
export function readEach<T>(value: unknown, max: number, path: string, idKey: string, item: (v: unknown, path: string) => T): { ok: T[]; unreadable: UnreadableView[] } {
  const ok: T[] = [];
  const unreadable: UnreadableView[] = [];
  list(value, max, path, (v, p) => {
    try {
      ok.push(item(v, p));
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      unreadable.push(describeUnreadable(v, idKey, e));
    }
  });
  return { ok, unreadable };
}

export function describeUnreadable(value: unknown, idKey: string, error: Invalid): UnreadableView {
  const r = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const id = r[idKey];
  const serverName = r.serverName;
  return compact({
    id: typeof id === 'string' && id.length > 0 && id.length <= LIMITS.id ? id : undefined,
    serverName: typeof serverName === 'string' && serverName.length <= LIMITS.name ? serverName : undefined,
    problem: error.path.slice(0, LIMITS.name),
  });
}
