/**
 * The `mcpServers` config files other MCP clients keep, which VS Code reads too: a workspace's portable
 * `.mcp.json` (the file Claude Code writes), GitHub Copilot CLI's `mcp-config.json`, and Claude
 * Desktop's config (imported, not read live). Each spells remote types its own way; all map onto our
 * definitions.
 */
import * as path from 'node:path';
import { parseJsonc } from './mcpJson';
import { parseServerDefinition, type ParsedServers, type DefinitionError, type ServerDefinition } from './serverDefinition';

/** The file in each workspace folder, beside `.vscode/mcp.json`. */
export const WORKSPACE_MCP_SERVERS_FILE = '.mcp.json';

/** Copilot CLI's config: `$COPILOT_HOME/mcp-config.json`, else `~/.copilot/mcp-config.json`. */
export function copilotMcpConfigPath(home: string, env: Readonly<Record<string, string | undefined>>): string {
  const copilotHome = env['COPILOT_HOME']?.trim();
  return path.join(copilotHome ? copilotHome : path.join(home, '.copilot'), 'mcp-config.json');
}

/** The transport type names clients use, mapped to ours (Copilot CLI says `local` for stdio). */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  'streamable-http': 'http',
  streamableHttp: 'http',
  'streamable_http': 'http',
  http: 'http',
  sse: 'sse',
  stdio: 'stdio',
  local: 'stdio',
};

function normalizeEntry(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const record = { ...(raw as Record<string, unknown>) };
  const type = record['type'];
  if (typeof type === 'string' && TYPE_ALIASES[type]) record['type'] = TYPE_ALIASES[type];
  // Claude Desktop's own flag for a server switched off.
  if (record['disabled'] === undefined && typeof record['enabled'] === 'boolean') record['disabled'] = !record['enabled'];
  delete record['enabled'];
  return record;
}

/** Parses a file whose servers sit under a top-level `mcpServers`. Every good entry is kept, every bad one reported. */
export function parseMcpServersFile(text: string, source: string): ParsedServers {
  const definitions: ServerDefinition[] = [];
  // A new, empty file is "no servers yet", not a mistake.
  if (text.trim() === '') return { definitions, errors: [] };
  const { value, errors: syntaxErrors } = parseJsonc(text, source);
  const errors: DefinitionError[] = syntaxErrors.map((message) => ({ source, message }));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push({ source, message: `${source} must hold a JSON object with "mcpServers".` });
    return { definitions, errors };
  }
  const record = value as Record<string, unknown>;
  const servers = record['mcpServers'];
  if (servers === undefined) {
    // VS Code's key in the wrong file would otherwise load nothing and say nothing.
    if (record['servers'] !== undefined) errors.push({ source, message: `${source} lists its servers under "servers" (the key of .vscode/mcp.json); this file lists them under "mcpServers".` });
    return { definitions, errors };
  }
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    errors.push({ source, message: `"mcpServers" in ${source} must be an object keyed by server name.` });
    return { definitions, errors };
  }
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    const result = parseServerDefinition(name, normalizeEntry(raw), source);
    if (result.ok) definitions.push(result.definition);
    else errors.push({ serverName: name, source, message: result.error });
  }
  return { definitions, errors };
}
