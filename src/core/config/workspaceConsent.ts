/**
 * Consent for servers a workspace defines (`.vscode/mcp.json`). Trusting a workspace is not consent
 * to run every command it names: the first start of a workspace server, and its first start after
 * any change of its definition (a `git pull` that edits the file), asks the user in a modal that
 * names the command (or URL) and what it reads from the environment. Consent is remembered per
 * workspace file, server name and definition fingerprint; a refusal holds until the window reloads
 * or the definition changes. The modal and the store are injected, so this is tested in plain Node.
 */
import { createHash } from 'node:crypto';
import type { ServerDefinition } from './serverDefinition';

export interface ConsentPrompt {
  readonly serverName: string;
  /** The mcp.json file that defines it. */
  readonly source: string;
  /** One line: the command line, or the URL. */
  readonly summary: string;
  /** The rest of the modal's text. */
  readonly detail: string;
  /** True when an earlier definition of this server was allowed and this one differs. */
  readonly changed: boolean;
}

export interface ConsentPrompter {
  /** Shows the modal; resolves true only when the user chose to allow. */
  confirm(prompt: ConsentPrompt): Promise<boolean>;
}

export interface ConsentRecord {
  readonly serverName: string;
  readonly source: string;
  readonly at: number;
}

export interface ConsentStore {
  load(): Promise<Readonly<Record<string, ConsentRecord>>>;
  save(records: Readonly<Record<string, ConsentRecord>>): Promise<void>;
}

/** Consents kept; the oldest go first. */
const MAX_RECORDS = 500;

/** What the server runs or connects to, in a canonical form: every field that changes what starts. */
export function launchFingerprint(definition: ServerDefinition): string {
  const sorted = (record: Readonly<Record<string, string | null>>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const launch =
    definition.type === 'stdio'
      ? { type: 'stdio', command: definition.command, args: definition.args, env: sorted(definition.env), cwd: definition.cwd ?? null, envFile: definition.envFile ?? null, ...(definition.llmEndpoint ? { llmEndpoint: true } : {}) }
      : { type: definition.type, url: definition.url, headers: sorted(definition.headers) };
  return JSON.stringify(launch);
}

/** The key a consent is remembered under: workspace file + server name + definition fingerprint. */
export function consentKey(definition: ServerDefinition): string {
  return createHash('sha256').update(`${definition.source}\u0000${definition.name}\u0000${launchFingerprint(definition)}`).digest('hex');
}

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg));
const envVariables = (text: string): string[] => [...text.matchAll(/\$\{env:([^}]*)\}/g)].map((m) => m[1] ?? '');

/** The modal's text: the command line or URL as written (variables unresolved), and what it reads from the environment. */
export function describeLaunch(definition: ServerDefinition): { summary: string; detail: string } {
  const lines: string[] = [];
  let summary: string;
  let texts: string[];
  if (definition.type === 'stdio') {
    summary = [definition.command, ...definition.args].map(quote).join(' ');
    const env = Object.entries(definition.env).filter(([, v]) => v !== null);
    if (env.length) lines.push(`Environment it sets: ${env.map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (definition.cwd) lines.push(`Working folder: ${definition.cwd}`);
    if (definition.envFile) lines.push(`Environment file: ${definition.envFile}`);
    if (definition.llmEndpoint) lines.push(`"llmEndpoint": true: it gets OPENAI_BASE_URL and an OPENAI_API_KEY of its own for the editor's models; each completion it asks for comes to the approval panel under the name "${definition.name}".`);
    texts = [definition.command, ...definition.args, ...env.map(([, v]) => v ?? ''), definition.cwd ?? '', definition.envFile ?? ''];
  } else {
    summary = definition.url;
    const headers = Object.keys(definition.headers);
    if (headers.length) lines.push(`Headers it sends: ${headers.join(', ')}`);
    texts = [definition.url, ...Object.values(definition.headers).map((v) => v ?? '')];
  }
  const fromEnv = [...new Set(texts.flatMap(envVariables))];
  if (fromEnv.length) lines.push(`Reads from your environment: ${fromEnv.join(', ')}${definition.type === 'stdio' ? '' : ` (sent to ${hostOf(definition.url)})`}`);
  lines.push(`Defined in ${definition.source}.`);
  return { summary: summary.length > 2000 ? `${summary.slice(0, 2000)}…` : summary, detail: lines.join('\n') };
}

function hostOf(url: string): string {
  try {
    return new URL(url.replaceAll('${', '$')).host || url;
  } catch {
    return url;
  }
}

export class WorkspaceServerConsent {
  private readonly refused = new Set<string>();
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly store: ConsentStore,
    private readonly prompter: ConsentPrompter,
    /** Whether a definition comes from a workspace (not the user's settings or profile). */
    private readonly isWorkspaceDefinition: (definition: ServerDefinition) => boolean,
  ) {}

  /** Undefined when the server may start; otherwise the reason it does not (shown as its error). */
  async check(definition: ServerDefinition): Promise<string | undefined> {
    if (!this.isWorkspaceDefinition(definition)) return undefined;
    const key = consentKey(definition);
    const records = await this.store.load();
    if (Object.hasOwn(records, key)) return undefined;
    const refusal = `Server "${definition.name}" from ${definition.source} was not started: you did not allow it. It is asked again after a window reload or a change of its definition.`;
    if (this.refused.has(key)) return refusal;
    let pending = this.asking.get(key);
    if (!pending) {
      const changed = Object.values(records).some((r) => r.source === definition.source && r.serverName === definition.name);
      pending = this.prompter.confirm({ serverName: definition.name, source: definition.source, changed, ...describeLaunch(definition) }).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
      const allowed = await pending;
      if (allowed) await this.remember(key, definition);
      else this.refused.add(key);
      return allowed ? undefined : refusal;
    }
    return (await pending) ? undefined : refusal;
  }

  private async remember(key: string, definition: ServerDefinition): Promise<void> {
    const records = { ...(await this.store.load()) };
    // An older definition of the same server is superseded: a later change asks again.
    for (const [k, r] of Object.entries(records)) if (r.source === definition.source && r.serverName === definition.name) delete records[k];
    records[key] = { serverName: definition.name, source: definition.source, at: Date.now() };
    const entries = Object.entries(records).sort(([, a], [, b]) => a.at - b.at);
    await this.store.save(Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_RECORDS))));
  }
}
