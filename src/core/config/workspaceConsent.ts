/**
 * Consent for servers a workspace defines (`.vscode/mcp.json`). Trusting a workspace is not consent
 * to run every command it names: the first start of a workspace server, and its first start after
 * any change of its definition (a `git pull` that edits the file), asks the user in a modal that
 * names the command (or URL) and what it reads from the environment. Consent is remembered per
 * workspace file, server name and definition fingerprint; a refusal holds until the window reloads
 * or the definition changes. The modal and the store are injected, so this is tested in plain Node.
 */
import * as l10n from '@vscode/l10n';
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

/** What the server runs or connects to, in a canonical form: every field that changes what starts or who reaches it. */
export function launchFingerprint(definition: ServerDefinition): string {
  const sorted = (record: Readonly<Record<string, string | null>>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const launch =
    definition.type === 'stdio'
      ? { type: 'stdio', command: definition.command, args: definition.args, env: sorted(definition.env), cwd: definition.cwd ?? null, envFile: definition.envFile ?? null, ...(definition.llmEndpoint ? { llmEndpoint: true } : {}) }
      : { type: definition.type, url: definition.url, headers: sorted(definition.headers) };
  // Offering its tools to the gateway's agents is part of what is allowed (absent unless asked, so older consents hold).
  return JSON.stringify(definition.gateway === true ? { ...launch, gateway: true } : launch);
}

/** What a definition's envFile sets, read before asking: its variable names for the modal, a digest of the values for the key. */
export interface EnvFileSnapshot {
  readonly names: readonly string[];
  readonly digest: string;
}

export function envFileSnapshot(values: Readonly<Record<string, string>>): EnvFileSnapshot {
  const entries = Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { names: entries.map(([name]) => name), digest: createHash('sha256').update(JSON.stringify(entries)).digest('hex') };
}

/**
 * The key a consent is remembered under: workspace file + server name + definition fingerprint, and
 * the envFile's values when it has one (a `git pull` that edits the file asks again).
 */
export function consentKey(definition: ServerDefinition, envFile?: EnvFileSnapshot): string {
  const launch = `${definition.source}\u0000${definition.name}\u0000${launchFingerprint(definition)}`;
  return createHash('sha256').update(envFile ? `${launch}\u0000envFile\u0000${envFile.digest}` : launch).digest('hex');
}

/** The envFile's variable names for the modal: bounded, since the file is the workspace's. */
function envFileNames(names: readonly string[]): string {
  const shown = names.slice(0, 40).map((n) => (n.length > 60 ? `${n.slice(0, 60)}…` : n));
  return names.length > shown.length ? `${shown.join(', ')} … (${names.length} in all)` : shown.join(', ');
}

const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg));
const envVariables = (text: string): string[] => [...text.matchAll(/\$\{env:([^}]*)\}/g)].map((m) => m[1] ?? '');

/** The modal's text: the command line or URL as written (variables unresolved), what it reads from the environment, and what it asks beyond starting. */
// Translated with @vscode/l10n (core cannot import vscode; the host hands it the editor's bundle), so
// `npm run l10n` extracts these lines into l10n/bundle.l10n.json with the rest.
export function describeLaunch(definition: ServerDefinition, envFile?: EnvFileSnapshot): { summary: string; detail: string } {
  const lines: string[] = [];
  let summary: string;
  let texts: string[];
  if (definition.type === 'stdio') {
    summary = [definition.command, ...definition.args].map(quote).join(' ');
    const env = Object.entries(definition.env).filter(([, v]) => v !== null);
    if (env.length) lines.push(l10n.t('Environment it sets: {0}', env.map(([k, v]) => `${k}=${v}`).join(', ')));
    if (definition.cwd) lines.push(l10n.t('Working folder: {0}', definition.cwd));
    if (definition.envFile) lines.push(l10n.t('Environment file: {0}', definition.envFile));
    if (definition.envFile && envFile) lines.push(envFile.names.length ? l10n.t('Variables the environment file sets: {0}', envFileNames(envFile.names)) : l10n.t('The environment file sets no variables.'));
    if (definition.llmEndpoint) lines.push(l10n.t('"llmEndpoint": true: it gets OPENAI_BASE_URL and an OPENAI_API_KEY of its own for the editor\'s models; each completion it asks for comes to the approval panel under the name "{0}".', definition.name));
    texts = [definition.command, ...definition.args, ...env.map(([, v]) => v ?? ''), definition.cwd ?? '', definition.envFile ?? ''];
  } else {
    summary = definition.url;
    const headers = Object.keys(definition.headers);
    if (headers.length) lines.push(l10n.t('Headers it sends: {0}', headers.join(', ')));
    texts = [definition.url, ...Object.values(definition.headers).map((v) => v ?? '')];
  }
  const fromEnv = [...new Set(texts.flatMap(envVariables))];
  if (fromEnv.length) {
    lines.push(definition.type === 'stdio' ? l10n.t('Reads from your environment: {0}', fromEnv.join(', ')) : l10n.t('Reads from your environment: {0} (sent to {1})', fromEnv.join(', '), hostOf(definition.url)));
  }
  if (definition.gateway === true) lines.push(l10n.t('Gateway: its tools and their descriptions are offered to every agent connected to the gateway ("gateway": true).'));
  lines.push(l10n.t('Defined in {0}.', definition.source));
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
  /** The consent key each workspace server (source + name) last started under, for approvals that must name it. */
  private readonly started = new Map<string, string>();

  constructor(
    private readonly store: ConsentStore,
    private readonly prompter: ConsentPrompter,
    /** Whether a definition comes from a workspace (not the user's settings or profile). */
    private readonly isWorkspaceDefinition: (definition: ServerDefinition) => boolean,
  ) {}

  /** Undefined when the server may start; otherwise the reason it does not (shown as its error). `envFile`: what its envFile sets now. */
  async check(definition: ServerDefinition, envFile?: EnvFileSnapshot): Promise<string | undefined> {
    if (!this.isWorkspaceDefinition(definition)) return undefined;
    const key = consentKey(definition, envFile);
    const allowed = (): undefined => void this.started.set(`${definition.source}\u0000${definition.name}`, key);
    const records = await this.store.load();
    if (Object.hasOwn(records, key)) return allowed();
    const refusal = `Server "${definition.name}" from ${definition.source} was not started: you did not allow it. It is asked again after a window reload or a change of its definition.`;
    if (this.refused.has(key)) return refusal;
    let pending = this.asking.get(key);
    if (!pending) {
      const changed = Object.values(records).some((r) => r.source === definition.source && r.serverName === definition.name);
      pending = this.prompter.confirm({ serverName: definition.name, source: definition.source, changed, ...describeLaunch(definition, envFile) }).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
      if (!(await pending)) {
        this.refused.add(key);
        return refusal;
      }
      await this.remember(key, definition);
      return allowed();
    }
    return (await pending) ? allowed() : refusal;
  }

  /** The consent key a workspace server last started under in this window (what "Always allow" names), if any. */
  startedUnder(definition: ServerDefinition): string | undefined {
    return this.started.get(`${definition.source}\u0000${definition.name}`);
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
