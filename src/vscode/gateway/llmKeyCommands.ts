/**
 * The OpenAI-compatible endpoint's keys in the UI: Connect Another Client… → "OpenAI-compatible
 * client" names a client and copies its base URL and its own key; Revoke LLM Endpoint Key… (the
 * gateway's line in the Servers view, or the palette) revokes one key at a time.
 */
import * as vscode from 'vscode';
import { checkKeyName, type LlmCallerKeys } from '../../core/gateway/openai/callerKeys';

export const OPENAI_CLIENT_LABEL = () => vscode.l10n.t("OpenAI-compatible client (scripts, FastMCP's OpenAISamplingHandler, LangChain…)");

/** The base URL of the endpoint for a gateway URL (`http://127.0.0.1:<port>/mcp` → `…/v1`). */
export function llmBaseUrl(gatewayUrl: string): string {
  return new URL('/v1', gatewayUrl).toString();
}

export async function connectOpenAiClient(gatewayUrl: string, keys: LlmCallerKeys, serverNames: () => readonly string[], endpointEnabled: boolean): Promise<string | undefined> {
  if (!endpointEnabled) {
    const open = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('The OpenAI-compatible endpoint is turned off (mcpSampling.llmEndpoint.enabled).'), open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'mcpSampling.llmEndpoint.enabled');
    return undefined;
  }
  await keys.load();
  const taken = (name: string) => keys.list().some((k) => k.name.toLowerCase() === name.toLowerCase()) || serverNames().some((s) => s.toLowerCase() === name.toLowerCase());
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Name the OpenAI-compatible client'),
    prompt: vscode.l10n.t('The approval card shows this name on each of its calls; the key can be revoked on its own later.'),
    placeHolder: vscode.l10n.t('e.g. notebook, nightly script, LangChain agent'),
    validateInput: (value) => checkKeyName(value, taken),
  });
  if (name === undefined || checkKeyName(name, taken) !== undefined) return undefined;
  const key = await keys.createClientKey(name);
  const base = llmBaseUrl(gatewayUrl);
  await vscode.env.clipboard.writeText(`OPENAI_BASE_URL=${base}\nOPENAI_API_KEY=${key}\n`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'The base URL ({0}) and the key for "{1}" are on the clipboard as OPENAI_BASE_URL and OPENAI_API_KEY. The key is shown only this once: treat it like a password. Every completion comes to the approval panel.',
      base,
      name.trim(),
    ),
  );
  return name.trim();
}

export async function revokeLlmKey(keys: LlmCallerKeys): Promise<void> {
  await keys.load();
  const list = keys.list();
  if (list.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no key of the OpenAI-compatible endpoint to revoke.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(
    list.map((k) => ({
      label: k.name,
      description: k.kind === 'server' ? vscode.l10n.t('server with "llmEndpoint": true') : vscode.l10n.t('client'),
      detail: vscode.l10n.t('created {0}', new Date(k.createdAt).toLocaleString()),
      id: k.id,
    })),
    { title: vscode.l10n.t('Revoke a key of the OpenAI-compatible endpoint'), placeHolder: vscode.l10n.t('Its holder is refused from now on; the other keys keep working') },
  );
  if (!picked) return;
  await keys.revoke(picked.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('The key "{0}" was revoked.', picked.label));
}
