// A deliberately small DOM (elements, text, attributes, simple selectors, events) so Node tests can
// run the webview's card rendering and check its data-* hooks. Not a browser: layout, CSS and custom
// elements do not exist here. Installed on globalThis by installFakeDom().

export class FakeEvent {
  target: FakeElement | null = null;
  defaultPrevented = false;
  stopped = false;
  key = '';
  ctrlKey = false;
  metaKey = false;
  altKey = false;
  shiftKey = false;
  constructor(
    readonly type: string,
    init: Partial<Pick<FakeEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>> = {},
  ) {
    Object.assign(this, init);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopPropagation(): void {
    this.stopped = true;
  }
}

type Listener = (event: FakeEvent) => void;

export class FakeNode {
  parentNode: FakeElement | null = null;
  get textContent(): string {
    return '';
  }
  /** In the page: its topmost ancestor is the fake document's body. */
  get isConnected(): boolean {
    let top = this.parentNode;
    while (top?.parentNode) top = top.parentNode;
    return top === fakeDocument.body;
  }
  remove(): void {
    if (!this.parentNode) return;
    const siblings = this.parentNode.childNodes;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentNode = null;
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
}

const toKebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const toCamel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export class FakeElement extends FakeNode {
  readonly childNodes: FakeNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Listener[]>();
  /** Raw HTML assigned through innerHTML (kept as a string: tests inspect it). */
  html: string | undefined;
  value = '';
  selected = false;
  open = false;

  constructor(readonly tagName: string) {
    super();
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name.toLowerCase(), String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name.toLowerCase());
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name.toLowerCase());
  }
  toggleAttribute(name: string, force?: boolean): boolean {
    const on = force ?? !this.hasAttribute(name);
    if (on) this.setAttribute(name, '');
    else this.removeAttribute(name);
    return on;
  }
  get id(): string {
    return this.getAttribute('id') ?? '';
  }
  set id(v: string) {
    this.setAttribute('id', v);
  }
  get hidden(): boolean {
    return this.hasAttribute('hidden');
  }
  set hidden(v: boolean) {
    this.toggleAttribute('hidden', v);
  }
  get dataset(): Record<string, string | undefined> {
    return new Proxy({} as Record<string, string | undefined>, {
      get: (_t, key: string) => this.getAttribute(`data-${toKebab(key)}`) ?? undefined,
      set: (_t, key: string, v: string) => {
        this.setAttribute(`data-${toKebab(key)}`, v);
        return true;
      },
      ownKeys: () => [...this.attributes.keys()].filter((k) => k.startsWith('data-')).map((k) => toCamel(k.slice(5))),
    });
  }
  get classList() {
    const get = (): string[] => (this.getAttribute('class') ?? '').split(/\s+/).filter(Boolean);
    const set = (l: string[]): void => this.setAttribute('class', l.join(' '));
    return {
      contains: (c: string) => get().includes(c),
      add: (c: string) => set([...new Set([...get(), c])]),
      remove: (c: string) => set(get().filter((x) => x !== c)),
      toggle: (c: string, force?: boolean) => {
        const on = force ?? !get().includes(c);
        set(on ? [...new Set([...get(), c])] : get().filter((x) => x !== c));
        return on;
      },
    };
  }
  appendChild<T extends FakeNode>(node: T): T {
    node.remove();
    node.parentNode = this;
    this.childNodes.push(node);
    return node;
  }
  append(...nodes: (FakeNode | string)[]): void {
    for (const n of nodes) this.appendChild(typeof n === 'string' ? new FakeText(n) : n);
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    for (const c of [...this.childNodes]) c.remove();
    this.html = undefined;
    this.append(...nodes);
  }
  replaceWith(node: FakeNode): void {
    const parent = this.parentNode;
    if (!parent) return;
    node.remove();
    parent.childNodes.splice(parent.childNodes.indexOf(this), 1, node);
    node.parentNode = parent;
    this.parentNode = null;
  }
  get children(): FakeElement[] {
    return this.childNodes.filter((n): n is FakeElement => n instanceof FakeElement);
  }
  get childElementCount(): number {
    return this.children.length;
  }
  get lastElementChild(): FakeElement | null {
    return this.children.at(-1) ?? null;
  }
  override get textContent(): string {
    return this.html ?? this.childNodes.map((n) => n.textContent).join('');
  }
  override set textContent(v: string) {
    this.replaceChildren(v);
  }
  set innerHTML(v: string) {
    this.replaceChildren();
    this.html = v;
  }
  get innerHTML(): string {
    return this.html ?? '';
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** Dispatches like a browser, simplified: document capture listeners, then target and ancestors, then document. */
  dispatch(event: FakeEvent | string): FakeEvent {
    const e = typeof event === 'string' ? new FakeEvent(event) : event;
    e.target = this;
    for (const l of fakeDocument.listenersFor(e.type, true)) if (!e.stopped) l(e);
    for (const el of this.path()) for (const l of el.listeners.get(e.type) ?? []) if (!e.stopped) l(e);
    for (const l of fakeDocument.listenersFor(e.type, false)) if (!e.stopped) l(e);
    return e;
  }
  /** The browser's dispatchEvent, for code that builds its own Event: dispatched by type. */
  dispatchEvent(event: { type: string }): boolean {
    return !this.dispatch(event.type).defaultPrevented;
  }
  /** This element and its ancestors, innermost first. */
  path(): FakeElement[] {
    return [this, ...(this.parentNode ? this.parentNode.path() : [])];
  }
  /** What a user click does: the element's click listeners (and bubbling). */
  click(): FakeEvent {
    return this.dispatch('click');
  }
  focus(): void {
    fakeDocument.activeElement = this;
  }
  contains(node: unknown): boolean {
    for (let n = node as FakeNode | null; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  /** Every descendant element, depth first. */
  descendants(): FakeElement[] {
    return this.children.flatMap((c) => [c, ...c.descendants()]);
  }
  matches(selector: string): boolean {
    return selector.split(',').some((s) => matchesSimple(this, s.trim()));
  }
  querySelectorAll(selector: string): FakeElement[] {
    return this.descendants().filter((e) => e.matches(selector));
  }
  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
  closest(selector: string): FakeElement | null {
    if (this.matches(selector)) return this;
    return this.parentNode ? this.parentNode.closest(selector) : null;
  }
}

/** Supports `tag`, `.class`, `[attr]`, `[attr="value"]`, `[attr^="prefix"]` and their concatenation. */
function matchesSimple(el: FakeElement, selector: string): boolean {
  const re = /([a-z][a-z0-9-]*)|\.([\w-]+)|\[([\w-]+)(?:(\^?=)"([^"]*)")?\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(selector))) {
    consumed = re.lastIndex;
    if (m[1] && el.tagName !== m[1]) return false;
    if (m[2] && !el.classList.contains(m[2])) return false;
    if (m[3]) {
      const v = el.getAttribute(m[3]);
      if (v === null) return false;
      if (m[4] === '=' && v !== m[5]) return false;
      if (m[4] === '^=' && !v.startsWith(m[5] ?? '')) return false;
    }
  }
  if (consumed !== selector.length) throw new Error(`fake DOM: unsupported selector ${selector}`);
  return true;
}

const documentListeners: { type: string; listener: Listener; capture: boolean }[] = [];
const windowListeners: { type: string; listener: (event: { data: unknown }) => void }[] = [];

export const fakeDocument = {
  activeElement: null as FakeElement | null,
  body: new FakeElement('body'),
  createElement: (tag: string) => new FakeElement(tag.toLowerCase()),
  createTextNode: (data: string) => new FakeText(data),
  addEventListener(type: string, listener: Listener, capture?: boolean): void {
    documentListeners.push({ type, listener, capture: capture === true });
  },
  listenersFor(type: string, capture: boolean): Listener[] {
    return documentListeners.filter((l) => l.type === type && l.capture === capture).map((l) => l.listener);
  },
};

export const fakeWindow = {
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void {
    windowListeners.push({ type, listener });
  },
  /** Fires a window event other than a message (an uncaught `error`, an `unhandledrejection`). */
  emit(type: string, event: unknown): void {
    for (const l of windowListeners) if (l.type === type) (l.listener as (e: unknown) => void)(event);
  },
  /** Delivers a message as the host's postMessage would. */
  receive(data: unknown): void {
    for (const l of windowListeners) if (l.type === 'message') l.listener({ data });
  },
};

/** Forgets listeners registered by earlier tests (each test starts a fresh panel). */
export function resetFakeDom(): void {
  documentListeners.length = 0;
  windowListeners.length = 0;
  fakeDocument.activeElement = null;
}

export function installFakeDom(): void {
  const g = globalThis as Record<string, unknown>;
  g.document = fakeDocument;
  g.window = fakeWindow;
}
