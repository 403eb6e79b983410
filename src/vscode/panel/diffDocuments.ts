/** Read-only in-memory documents: the editor's diff of an original request against the edited one, and the full request. */
import * as vscode from 'vscode';

export const DIFF_SCHEME = 'mcp-sampling-diff';
const MAX_DOCUMENTS = 40;

export class DiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(this comparison is no longer available)';
  }

  async open(requestId: string, original: string, edited: string, title: string): Promise<void> {
    const version = ++this.counter;
    const id = encodeURIComponent(requestId);
    const left = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${id}/original.txt`, query: `v${version}` });
    const right = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${id}/edited.txt`, query: `v${version}` });
    this.remember(left, original);
    this.remember(right, edited);
    // Beside the panel, keeping focus on it: opening the diff must not hide the card being decided.
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  /** Opens `text` as a read-only JSON document (the full request a card could not show in full). */
  async openReadOnly(requestId: string, text: string): Promise<void> {
    const version = ++this.counter;
    const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${encodeURIComponent(requestId)}/full-request.jsonc`, query: `v${version}` });
    this.remember(uri, text);
    const document = await vscode.workspace.openTextDocument(uri);
    // Beside the panel, keeping focus on it: the card the user reads stays visible.
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  private remember(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    while (this.contents.size > MAX_DOCUMENTS) {
      const oldest = this.contents.keys().next().value;
      if (oldest === undefined) break;
      this.contents.delete(oldest);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
