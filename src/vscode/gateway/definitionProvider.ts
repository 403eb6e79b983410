/**
 * Offers the gateway to VS Code's own MCP client (Copilot's agent mode, `vscode.lm.tools`): one HTTP
 * definition whose bearer token (VS Code's own, see index.ts) is added only in
 * `resolveMcpServerDefinition`, when VS Code starts it.
 * The definition's version follows the offered tools, so VS Code refreshes its cached tool list, and
 * each rotation of the token, so VS Code resolves it again (with the new token) and reconnects.
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { GatewayServer } from '../../core/gateway/gatewayServer';
import type { GatewayToken } from '../../core/gateway/gatewayToken';

export const GATEWAY_DEFINITION_LABEL = 'MCP Sampling Gateway';

export class GatewayDefinitionProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changeEmitter.event;
  private lastKey = '';
  /** Rotations of VS Code's token in this window (a count, never the token, goes into the version). */
  private rotations = 0;

  constructor(
    private readonly gateway: GatewayServer,
    private readonly token: GatewayToken,
  ) {}

  private version(): string {
    const { exposedServers } = this.gateway.status();
    return createHash('sha256').update(JSON.stringify([this.gateway.url, exposedServers, this.gateway.toolNames(), this.rotations])).digest('hex').slice(0, 12);
  }

  /** Fires the change event when the definition (URL, exposed servers) changed, or always with `force`. */
  refresh(force = false): void {
    const key = this.gateway.url === undefined ? '' : this.version();
    if (!force && key === this.lastKey) return;
    this.lastKey = key;
    this.changeEmitter.fire();
  }

  /** VS Code's token changed: a new version, so VS Code resolves the definition (and its header) again. */
  tokenRotated(): void {
    this.rotations++;
    this.refresh(true);
  }

  provideMcpServerDefinitions(): vscode.McpHttpServerDefinition[] {
    const url = this.gateway.url;
    if (url === undefined) return [];
    return [new vscode.McpHttpServerDefinition(GATEWAY_DEFINITION_LABEL, vscode.Uri.parse(url), {}, this.version())];
  }

  async resolveMcpServerDefinition(definition: vscode.McpHttpServerDefinition): Promise<vscode.McpHttpServerDefinition | undefined> {
    const url = this.gateway.url;
    if (url === undefined) throw new Error(vscode.l10n.t('The MCP Sampling gateway is not running (see the {0} setting).', 'mcpSampling.gateway.enabled'));
    const token = await this.token.load();
    definition.uri = vscode.Uri.parse(url);
    definition.headers = { ...definition.headers, Authorization: `Bearer ${token}` };
    return definition;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
