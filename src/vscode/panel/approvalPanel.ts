/**
 * The approval panel: one WebviewPanel showing the approval queue's sessions (core/approval) and the
 * elicitation cards. The pipeline opens a session per request through `open`; bridge.ts turns the
 * queue's events into webview messages and the webview's messages into actions.
 */
import { localizedPanelStrings } from './panelStrings';
import { wordsOf, type PanelStrings } from '../../shared/panelStrings';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { ApprovalQueue, type ApprovalQueueOptions, type SessionSnapshot } from '../../core/approval/queue';
import type { ApprovalPrompter, ApprovalRequest, ApprovalSession, SessionOptions } from '../../core/approval/types';
import { parseWebviewMessage, type HostToWebview } from '../../shared/protocol';
import type { ElicitationPrompter } from '../../core/rounds/elicitation';
import type { ElicitAction, ElicitationRequest, ElicitResult } from '../../shared/elicitation';
import { DiffDocuments } from './diffDocuments';
import { ElicitationQueue } from './elicitationQueue';
import { renderPanelHtml } from './html';
import { WebviewLoadWatchdog } from './loadWatchdog';
import { handleRequestMessage, requestView, toHostMessage } from './bridge';
import { CARD_WORDS } from './omissionText';

export const APPROVAL_PANEL_VIEW_TYPE = 'mcpSampling.approvalPanel';
const TITLE = 'MCP Sampling Requests';

export interface QueuedRequestSnapshot {
  readonly id: string;
  readonly serverName: string;
  readonly state: SessionSnapshot['state'];
  readonly step: SessionSnapshot['step'];
  readonly receivedAt: number;
}

export interface ApprovalPanelOptions extends ApprovalQueueOptions {
  /** Reveal the panel (without taking focus) when a request needs the user. Default true. */
  readonly revealOnRequest?: boolean;
  /** Where a new panel opens. Default beside the active editor. */
  readonly viewColumn?: vscode.ViewColumn;
  /** Open elicitation cards one server may have at once (default 5). */
  readonly elicitationsPerServer?: () => number;
}

export class ApprovalPanelController implements ApprovalPrompter, ElicitationPrompter, vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  /** Whether the current webview said `ready` (messages before that are dropped; `state` resends all). */
  private webviewReady = false;
  /** The panel's words in the display language, built once: it does not change without a reload. */
  private strings: PanelStrings | undefined;
  /** The next `state` tells the webview that a reload restored it, so it can close what it showed before. */
  private restored = false;
  private readonly queue: ApprovalQueue;
  private readonly elicitations: ElicitationQueue;
  private readonly diffs = new DiffDocuments();
  private readonly pendingCountEmitter = new vscode.EventEmitter<number>();
  /** Fires with the number of requests waiting for the user whenever it changes. */
  readonly onDidChangePendingCount = this.pendingCountEmitter.event;
  private lastCount = 0;
  private watchdog: WebviewLoadWatchdog | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    private readonly options: ApprovalPanelOptions = {},
  ) {
    this.queue = new ApprovalQueue(
      logger,
      {
        changed: (event) => this.post(toHostMessage(event, CARD_WORDS)),
        attention: () => {
          if (this.options.revealOnRequest !== false) this.reveal(true);
        },
        pendingCountChanged: () => this.countChanged(),
      },
      options,
    );
    this.elicitations = new ElicitationQueue(logger, {
      post: (message) => this.post(message),
      attention: () => {
        if (this.options.revealOnRequest !== false) this.reveal(true);
      },
      openExternal: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
      countChanged: () => this.countChanged(),
    }, options.elicitationsPerServer ? { maxOpenPerServer: options.elicitationsPerServer } : {});
  }

  /** Shows an elicitation form card (ElicitationPrompter; wire with createElicitationHandler(panel)). */
  elicitForm(request: Extract<ElicitationRequest, { mode: 'form' }>, serverName: string, signal: AbortSignal): Promise<ElicitResult> {
    return this.elicitations.elicitForm(request, serverName, signal);
  }

  /** Shows a URL card; the URL opens only after the user's consent. */
  elicitUrl(request: Extract<ElicitationRequest, { mode: 'url' }>, serverName: string, signal: AbortSignal): Promise<ElicitAction> {
    return this.elicitations.elicitUrl(request, serverName, signal);
  }

  /** Opens the panel, or brings it forward, and focuses it (the `mcpSampling.openPanel` command). */
  show(): void {
    this.reveal(false);
  }

  /** Requests waiting for the user now: sampling requests and servers' forms. */
  get pendingCount(): number {
    return this.queue.pendingCount() + (this.elicitations?.openCount ?? 0);
  }

  private countChanged(): void {
    const count = this.pendingCount;
    if (count === this.lastCount) return;
    this.lastCount = count;
    this.pendingCountEmitter.fire(count);
  }

  /** The open requests (not closed), for the public API and tests. */
  pendingRequests(): readonly QueuedRequestSnapshot[] {
    return this.queue
      .sessions()
      .filter((s) => !s.closed)
      .map((s) => ({ id: s.request.origin.requestId, serverName: s.request.origin.serverName, state: s.state, step: s.step, receivedAt: s.request.receivedAt }));
  }

  /** The pipeline's port: one session per sampling request. */
  open(request: ApprovalRequest, options: SessionOptions): ApprovalSession {
    return this.queue.open(request, options);
  }

  /** Restores the panel after a window reload. Requests from before the reload are gone (the pipeline rejected them). */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    if (this.panel) {
      // A panel already exists (a request opened it first): keep one.
      panel.dispose();
      return;
    }
    this.adopt(panel, true);
  }

  dispose(): void {
    this.queue.dispose();
    this.elicitations.dispose();
    this.disposePanelSubscriptions();
    this.panel?.dispose();
    this.panel = undefined;
    this.diffs.dispose();
    this.pendingCountEmitter.dispose();
  }

  private reveal(preserveFocus: boolean): void {
    if (this.panel) {
      // Bring it forward in its own column; never steal focus while the user types elsewhere.
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      APPROVAL_PANEL_VIEW_TYPE,
      TITLE,
      { viewColumn: this.options.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    this.adopt(panel, false);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, restored: boolean): void {
    this.panel = panel;
    this.restored = restored;
    this.webviewReady = false;
    panel.title = TITLE;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    panel.webview.options = this.webviewOptions();
    const watchdog = new WebviewLoadWatchdog({
      shouldWait: () => this.panel === panel && panel.visible && !this.webviewReady,
      reload: (attempt) => {
        this.logger.warn(`Approval panel: the webview did not load; setting its content again (attempt ${attempt})`);
        this.render(panel);
      },
      gaveUp: () => {
        this.logger.warn('Approval panel: the webview still did not load; close the panel and open it again (MCP Sampling: Open Approval Panel)');
        void this.offerReload(panel, watchdog);
      },
    });
    this.watchdog = watchdog;
    this.panelSubscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down (no retainContextWhenHidden); it says `ready` again when shown.
        if (!panel.visible) this.webviewReady = false;
        else if (!this.webviewReady) watchdog.expectReady();
      }),
      panel.onDidDispose(() => this.onPanelClosed(panel)),
      watchdog,
    );
    this.render(panel);
    watchdog.expectReady();
  }

  /** The requests in a blank panel cannot be answered: say so where the user looks, not only in the log. */
  private async offerReload(panel: vscode.WebviewPanel, watchdog: WebviewLoadWatchdog): Promise<void> {
    const again = vscode.l10n.t('Load Again');
    const showLog = vscode.l10n.t('Show Log');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The MCP Sampling approval panel did not load, so the requests waiting in it cannot be answered yet. Closing the panel rejects them.'),
      again,
      showLog,
    );
    if (choice === showLog) await vscode.commands.executeCommand('mcpSampling.showLog');
    if (choice !== again || this.panel !== panel) return;
    this.render(panel);
    watchdog.expectReady();
  }

  private render(panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
    });
  }

  private panelStrings(): PanelStrings {
    this.strings ??= localizedPanelStrings();
    return this.strings;
  }

  private receive(raw: unknown): void {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.logger.warn('Approval panel: dropped a malformed message from the webview');
      return;
    }
    if (message.type === 'ready') {
      this.webviewReady = true;
      this.watchdog?.ready();
      const elicitations = this.elicitations.views();
      this.post({ type: 'state', requests: this.queue.sessions().map((session) => requestView(session, CARD_WORDS)), restored: this.restored, ...(elicitations.length ? { elicitations } : {}), strings: this.panelStrings() });
      this.restored = false;
      return;
    }
    if (message.type === 'panel-error') {
      this.logger.warn(`Approval panel: an error in the panel's code: ${message.message}`);
      return;
    }
    if (message.type === 'elicitation-answer') {
      this.elicitations.handleAnswer(message).catch((e: unknown) => this.logger.error(e instanceof Error ? e : String(e)));
      return;
    }
    try {
      handleRequestMessage(this.queue, message, {
        post: (m) => this.post(m),
        words: wordsOf(this.panelStrings()),
        cardWords: CARD_WORDS,
        openDiff: (requestId, original, edited) => {
          this.diffs.open(requestId, original, edited, vscode.l10n.t('Sampling request: original ↔ edited')).then(undefined, (e: unknown) => {
            this.logger.warn(`Approval panel: could not open the diff: ${e instanceof Error ? e.message : String(e)}`);
          });
        },
        openFullRequest: (requestId, text) => {
          this.diffs.openReadOnly(requestId, text).then(undefined, (e: unknown) => {
            this.logger.warn(`Approval panel: could not open the full request: ${e instanceof Error ? e.message : String(e)}`);
          });
        },
      });
    } catch (e) {
      this.logger.error(e instanceof Error ? e : String(e));
      this.post({ type: 'error', requestId: message.requestId, message: 'The panel could not handle that action.' });
    }
  }

  private onPanelClosed(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.disposePanelSubscriptions();
    this.panel = undefined;
    this.watchdog = undefined;
    this.webviewReady = false;
    const waiting = this.queue.pendingCount();
    this.queue.rejectWaiting('panel closed');
    this.elicitations.cancelAll('The panel was closed.');
    // Closing a tab is easy to do by accident: say what it cost (the history keeps each request).
    if (waiting > 0) {
      void vscode.window.showInformationMessage(
        waiting === 1
          ? vscode.l10n.t('Closing the approval panel rejected the sampling request waiting in it. It is in the Sampling History.')
          : vscode.l10n.t('Closing the approval panel rejected {0} sampling requests waiting in it. They are in the Sampling History.', waiting),
      );
    }
  }

  private post(message: HostToWebview): void {
    if (!this.panel || !this.webviewReady) return;
    this.panel.webview.postMessage(message).then(undefined, () => {
      // The webview went away between the check and the send; `ready` will resend the state.
    });
  }

  private disposePanelSubscriptions(): void {
    for (const d of this.panelSubscriptions) d.dispose();
    this.panelSubscriptions = [];
  }
}
