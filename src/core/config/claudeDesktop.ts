/** Imports Claude Desktop's `claude_desktop_config.json` (`mcpServers`) as our definitions. */
import * as path from 'node:path';
import { parseMcpServersFile } from './mcpServersFile';
import type { ParsedServers } from './serverDefinition';

export const CLAUDE_DESKTOP_SOURCE = 'claude-desktop';

/** Where Claude Desktop keeps its config on each platform. */
export function claudeDesktopConfigPath(platform: NodeJS.Platform, home: string, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  if (platform === 'win32') return path.win32.join(env['APPDATA'] ?? path.win32.join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json');
  return path.posix.join(env['XDG_CONFIG_HOME'] ?? path.posix.join(home, '.config'), 'Claude', 'claude_desktop_config.json');
}

export function parseClaudeDesktopConfig(text: string, source: string = CLAUDE_DESKTOP_SOURCE): ParsedServers {
  return parseMcpServersFile(text, source);
}
