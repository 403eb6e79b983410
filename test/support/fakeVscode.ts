/**
 * Plain-Node stand-ins for pieces of the `vscode` module, so glue in src/vscode can be unit tested:
 * `installVscodeModule` makes `require('vscode')` return a stand-in; `fakeVscodeLm` is the
 * language-model API (vscode.lm, its parts, messages, errors, cancellation) with scripted models;
 * `fakeL10n` is vscode.l10n without a bundle.
 */
import Module from 'node:module';

/** Makes `require('vscode')` return `stand-in`, for modules loaded after this call. */
export function installVscodeModule(standIn: object): void {
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return standIn;
    return original.call(this, request, ...rest);
  };
}

/** vscode.l10n without a bundle: the English message with its `{n}` placeholders filled. */
export const fakeL10n = {
  t: (message: string, ...args: unknown[]): string => message.replace(/\{(\d+)\}/g, (match, index: string) => (index in args ? String(args[Number(index)]) : match)),
};

export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}
export class LanguageModelDataPart {
  constructor(
    readonly data: Uint8Array,
    readonly mimeType: string,
  ) {}
  static image(data: Uint8Array, mimeType: string): LanguageModelDataPart {
    return new LanguageModelDataPart(data, mimeType);
  }
}
export class LanguageModelToolCallPart {
  constructor(
    readonly callId: string,
    readonly name: string,
    readonly input: object,
  ) {}
}
export class LanguageModelToolResultPart {
  constructor(
    readonly callId: string,
    readonly content: unknown[],
  ) {}
}
export type Part = LanguageModelTextPart | LanguageModelDataPart | LanguageModelToolCallPart | LanguageModelToolResultPart;

export const LanguageModelChatMessageRole = { User: 1, Assistant: 2 } as const;
export class LanguageModelChatMessage {
  constructor(
    readonly role: number,
    public content: Part[],
  ) {}
  static User(content: Part[]): LanguageModelChatMessage {
    return new LanguageModelChatMessage(LanguageModelChatMessageRole.User, content);
  }
  static Assistant(content: Part[]): LanguageModelChatMessage {
    return new LanguageModelChatMessage(LanguageModelChatMessageRole.Assistant, content);
  }
}

export class LanguageModelError extends Error {
  static NoPermissions = new LanguageModelError('', 'NoPermissions');
  static Blocked = new LanguageModelError('', 'Blocked');
  static NotFound = new LanguageModelError('', 'NotFound');
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = code;
  }
}

export class CancellationTokenSource {
  readonly token = { isCancellationRequested: false };
  disposed = false;
  cancel(): void {
    this.token.isCancellationRequested = true;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export interface SentRequest {
  readonly messages: LanguageModelChatMessage[];
  readonly options: { justification?: string; modelOptions?: Record<string, unknown>; tools?: { name: string }[]; toolMode?: number };
  readonly token: { isCancellationRequested: boolean };
}

/** A chat model that answers with the parts it is given and records what it was sent. */
export class FakeChatModel {
  readonly sent: SentRequest[] = [];
  constructor(
    readonly id: string,
    readonly family: string,
    private readonly answer: () => AsyncIterable<Part> | Part[] = () => [new LanguageModelTextPart('hello')],
    readonly maxInputTokens = 1000,
    readonly name = `${family} model`,
  ) {}
  /** One token per 4 characters of text, as a rough tokenizer would. */
  async countTokens(message: LanguageModelChatMessage): Promise<number> {
    return message.content.reduce((n, p) => n + (p instanceof LanguageModelTextPart ? Math.ceil(p.value.length / 4) : 1), 0);
  }
  async sendRequest(messages: LanguageModelChatMessage[], options: SentRequest['options'], token: SentRequest['token']): Promise<{ stream: AsyncIterable<Part> }> {
    this.sent.push({ messages, options, token });
    const parts = this.answer();
    return { stream: Array.isArray(parts) ? (async function* () { yield* parts; })() : parts };
  }
}

/** The vscode.lm stand-in: `models` is what selectChatModels answers; `changeModels` fires onDidChangeChatModels. */
export function fakeVscodeLm(initial: FakeChatModel[]) {
  const listeners = new Set<() => void>();
  const state = { models: initial, selections: 0 };
  const module = {
    LanguageModelTextPart,
    LanguageModelDataPart,
    LanguageModelToolCallPart,
    LanguageModelToolResultPart,
    LanguageModelChatMessage,
    LanguageModelChatMessageRole,
    LanguageModelError,
    LanguageModelChatToolMode: { Auto: 1, Required: 2 },
    l10n: fakeL10n,
    CancellationTokenSource,
    lm: {
      selectChatModels: async () => {
        state.selections++;
        return state.models;
      },
      onDidChangeChatModels: (listener: () => void) => {
        listeners.add(listener);
        return { dispose: () => listeners.delete(listener) };
      },
    },
  };
  const changeModels = (models: FakeChatModel[]) => {
    state.models = models;
    for (const l of listeners) l();
  };
  return { module, state, changeModels };
}
