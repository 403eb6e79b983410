// A small stand-in for the `vscode` module, just enough for the approval panel controller and the
// status bar item to run in plain Node. It records what the code asked VS Code to do.
import { installVscodeModule } from '../support/fakeVscode';

export class Disposable {
  constructor(private readonly fn: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => void>();
  disposed = false;
  readonly event = (listener: (e: T) => void): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static from(parts: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(parts.scheme, parts.path, parts.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...segments].join('/'), '');
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class FakeWebview {
  options: unknown;
  html = '';
  readonly cspSource = 'https://fake.vscode-cdn.net';
  readonly posted: unknown[] = [];
  readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): Uri {
    return Uri.from({ scheme: 'https', path: `fake.vscode-cdn.net${uri.path}` });
  }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(message)));
    return Promise.resolve(true);
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  title = '';
  iconPath: unknown;
  visible = true;
  disposed = false;
  readonly reveals: { column: unknown; preserveFocus: unknown }[] = [];
  readonly disposeEmitter = new EventEmitter<void>();
  readonly viewStateEmitter = new EventEmitter<unknown>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = this.viewStateEmitter.event;
  constructor(
    readonly viewType: string,
    readonly showOptions: unknown,
    readonly createOptions: unknown,
  ) {}
  reveal(column?: unknown, preserveFocus?: unknown): void {
    this.reveals.push({ column, preserveFocus });
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

export class FakeStatusBarItem {
  text = '';
  tooltip: unknown;
  command: unknown;
  name = '';
  accessibilityInformation: unknown;
  visible = false;
  disposed = false;
  constructor(
    readonly id: string,
    readonly alignment: unknown,
    readonly priority: unknown,
  ) {}
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
  }
}

export const recorded = {
  panels: [] as FakePanel[],
  statusItems: [] as FakeStatusBarItem[],
  contentProviders: [] as { scheme: string; disposed: boolean }[],
  commands: [] as unknown[][],
  /** Notifications shown, as `info: …` / `warning: …`. */
  notifications: [] as string[],
};

export const fakeVscode = {
  Disposable,
  EventEmitter,
  Uri,
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  window: {
    createWebviewPanel(viewType: string, _title: string, showOptions: unknown, options: unknown): FakePanel {
      const panel = new FakePanel(viewType, showOptions, options);
      recorded.panels.push(panel);
      return panel;
    },
    showInformationMessage(message: string): Promise<undefined> {
      recorded.notifications.push(`info: ${message}`);
      return Promise.resolve(undefined);
    },
    showWarningMessage(message: string): Promise<undefined> {
      recorded.notifications.push(`warning: ${message}`);
      return Promise.resolve(undefined);
    },
    createStatusBarItem(id: string, alignment: unknown, priority: unknown): FakeStatusBarItem {
      const item = new FakeStatusBarItem(id, alignment, priority);
      recorded.statusItems.push(item);
      return item;
    },
  },
  workspace: {
    registerTextDocumentContentProvider(scheme: string): Disposable {
      const entry = { scheme, disposed: false };
      recorded.contentProviders.push(entry);
      return new Disposable(() => (entry.disposed = true));
    },
  },
  l10n: {
    /** The display language of the fake: English unless a test sets `translate`. */
    translate: (message: string): string => message,
    t(message: string, ...args: (string | number)[]): string {
      return fakeVscode.l10n.translate(message).replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
    },
  },
  commands: {
    executeCommand(...args: unknown[]): Promise<unknown> {
      recorded.commands.push(args);
      return Promise.resolve(undefined);
    },
  },
};

/** Makes `require('vscode')` return the stand-in, for modules loaded after this call. */
export function installFakeVscode(): void {
  installVscodeModule(fakeVscode);
}
