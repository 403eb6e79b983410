/** Imports Claude Desktop's `claude_desktop_config.json` (`mcpServers`) as our definitions. */
import * as path from 'node:path';
import { parseJsonc } from './mcpJson';
import { parseServerDefinition, type ParsedServers, type DefinitionError, type ServerDefinition } from './serverDefinition';

export const CLAUDE_DESKTOP_SOURCE = 'claude-desktop';

/** Where Claude Desktop keeps its config on each platform. */
export function claudeDesktopConfigPath(platform: NodeJS.Platform, home: string, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  if (platform === 'win32') return path.win32.join(env['APPDATA'] ?? path.win32.join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
  return path.posix.join(env['XDG_CONFIG_HOME'] ?? path.posix.join(home, '.config'), 'Claude', 'claude_desktop_config.json');
}

/** Claude Desktop and other clients spell the remote transport types differently. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  'streamable-http': 'http',
  streamableHttp: 'http',
  'streamable_http': 'http',
  http: 'http',
  sse: 'sse',
  stdio: 'stdio',
};

export function parseClaudeDesktopConfig(text: string, source: string = CLAUDE_DESKTOP_SOURCE): ParsedServers {
  const { value, errors: syntaxErrors } = parseJsonc(text, source);
  const errors: DefinitionError[] = syntaxErrors.map((message) => ({ source, message }));
  const definitions: ServerDefinition[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push({ source, message: `${source} must hold a JSON object with "mcpServers".` });
    return { definitions, errors };
  }
  const servers = (value as Record<string, unknown>)['mcpServers'];
  if (servers === undefined) return { definitions, errors };
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    errors.push({ source, message: `"mcpServers" in ${source} must be an object keyed by server name.` });
    return { definitions, errors };
  }
  for (const [name, raw] of Object.entries(servers as Record<string, unknown>)) {
    let entry = raw;
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
      const record = { ...(raw as Record<string, unknown>) };
      const type = record['type'];
      if (typeof type === 'string' && TYPE_ALIASES[type]) record['type'] = TYPE_ALIASES[type];
      // Claude Desktop's own flag for a server switched off.
      if (record['disabled'] === undefined && typeof record['enabled'] === 'boolean') record['disabled'] = !record['enabled'];
      delete record['enabled'];
      entry = record;
    }
    const result = parseServerDefinition(name, entry, source);
    if (result.ok) definitions.push(result.definition);
    else errors.push({ serverName: name, source, message: result.error });
  }
  return { definitions, errors };
}
