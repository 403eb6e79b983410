/**
 * The approval panel's own words, by key: the one place a label's English text is written. The host
 * builds the table in the editor's display language (src/vscode/panel/panelStrings.ts, generated from
 * this table by `npm run l10n`: every entry through vscode.l10n.t) and sends it with the `state`
 * message; the webview checks it here and falls back to these English texts for anything missing or
 * malformed. `{0}`, `{1}` are filled by `formatString`; a translation must keep the same placeholders.
 * Sentence case, one name for each thing.
 */

export const PANEL_STRINGS = {
  panelTitle: 'Sampling requests',
  requestGone: 'This request is no longer available.',
  // Headings of a request as text (Show changes, the editor's diff view)
  notShownHeading: 'Not shown in the panel (unchanged)',
  panelError: 'Something went wrong in this panel ({0}). What you typed is kept; the log (MCP Sampling: Show Log) has the details.',
  nothingWaits: 'Nothing waits for you.',
  oneWaits: '1 request waits for you.',
  manyWait: '{0} requests wait for you.',
  emptyQueue: 'No sampling requests. When an MCP server asks for a completion, it appears here for you to approve.',
  // States and outcomes
  stateApproval: 'Waiting for approval',
  stateAnswering: 'Answering',
  stateManualReply: 'Waiting for your reply',
  stateReview: 'Review the answer',
  stateDone: 'Done',
  outcomeAnswered: 'Answered',
  outcomeRejected: 'Rejected',
  outcomeCancelled: 'Cancelled',
  outcomeFailed: 'Failed',
  // Before the caller's name on a card of the OpenAI-compatible endpoint
  openaiCallFrom: 'OpenAI-compatible call from ',
  closedReason: '{0}: {1}',
  // The decision
  approve: 'Approve',
  approveContext: 'request from {0}',
  approveTitle: 'Approve and send (Ctrl+Enter / Cmd+Enter)',
  reject: 'Reject…',
  rejectContext: 'request from {0}; asks for an optional reason first',
  allowSession: 'Allow for this session',
  allowSessionContext: 'approves and stops asking about {0} for this session',
  alwaysAllow: 'Always allow this server',
  alwaysAllowContext: 'approves and never asks about {0} again',
  showChanges: 'Show changes',
  hideChanges: 'Hide changes',
  changesContext: 'the changes you made to this request',
  openFullRequest: 'Open the full request',
  openFullRequestContext: 'as the model receives it, in a read-only editor',
  openInDiffEditor: 'Open in diff editor',
  openInDiffEditorContext: "the same changes in the editor's diff view",
  noChanges: 'No changes.',
  unchangedLines: '… {0} unchanged lines …',
  diffLineCut: "({0} of the line's {1} characters shown here; Open in diff editor shows all of it)",
  rejectReasonLabel: 'Reason for rejecting (optional, sent to the server)',
  rejectReasonPlaceholder: 'optional',
  rejectFormLabel: 'Reject the request from {0}',
  confirmReject: 'Reject request',
  confirmRejectContext: 'from {0}; the server gets an error with your reason',
  confirmRejectTitle: 'Reject request and tell the server (Enter)',
  cancel: 'Cancel',
  cancelRejectContext: 'keeps the request waiting',
  cancelRejectTitle: 'Cancel: keep the request waiting (Escape)',
  // The answer
  answer: 'Answer',
  answerEditable: 'Answer (editable before it is sent)',
  manualReply: 'Manual reply',
  manualReplyLabel: 'Your reply, sent to the server as the model answer',
  sendReply: 'Send reply',
  sendReplyTitle: 'Send reply (Ctrl+Enter / Cmd+Enter)',
  approveResponse: 'Approve response',
  approveResponseContext: 'sends this answer to the server',
  approveResponseTitle: 'Approve response: send this answer to the server (Ctrl+Enter / Cmd+Enter)',
  rejectResponse: 'Reject response',
  rejectResponseContext: 'the server gets an error',
  regenerate: 'Regenerate',
  regenerateContext: 'asks the model again',
  waitingForModel: 'Waiting for the model…',
  // Fields
  edited: ' (edited)',
  moreLinesOne: '1 more line below: scroll inside the box to read it.',
  moreLinesMany: '{0} more lines below: scroll inside the box to read them.',
  showMoreText: 'Show more text ({0} more characters)',
  // Keyboard help and announcements
  keyboardShortcuts: 'Keyboard shortcuts',
  keysTab: 'Tab / Shift+Tab',
  keysTabWhat: 'Move to the next or previous control',
  keysPress: 'Enter or Space',
  keysPressWhat: 'Press the focused button',
  keysSend: 'Ctrl+Enter (Cmd+Enter on macOS)',
  keysSendWhat: 'On the focused request: approve it, approve the reviewed answer, or send your reply',
  keysReason: 'Enter in the reason field',
  keysReasonWhat: 'Reject the request with that reason',
  keysEscape: 'Escape in the reject form',
  keysEscapeWhat: 'Cancel rejecting: the request keeps waiting',
  keysFocusedOnly: 'Ctrl+Enter acts only on the request whose card holds the focus, never on another one.',
  announceNew: 'New sampling request from {0}: {1}.',
  announceNewWithWarning: 'New sampling request from {0}, with 1 warning: {1}.',
  announceNewWithWarnings: 'New sampling request from {0}, with {1} warnings: {2}.',
  announceStep: 'Request from {0}: {1}.',
  announceAnswerComplete: 'The answer for {0} is complete.',
  announceAnswerToReview: 'The answer for {0} is complete: review it before it is sent.',
  tokensAbout: 'About {0} input tokens.',
  tokensOfLimit: 'About {0} input tokens of the model\'s {1} limit.',
  tokensOverLimit: 'About {0} input tokens of the model\'s {1} limit: over the limit.',
  chosenBecause: 'Chosen because: {0}',
  chosenByYou: 'Chosen by you (the request\'s choice was {0}: {1})',
  providerAndModel: 'Provider and model',
  provider: 'Provider',
  model: 'Model',
  providerModelLine: 'Provider {0}, model {1}',
  messageName: 'Message {0} ({1})',
  systemPrompt: 'System prompt',
  prompt: 'Prompt',
  parameters: 'Parameters',
  none: '(none)',
  noMessages: 'No messages.',
  preview: 'Preview',
  maxTokens: 'Max tokens',
  temperature: 'Temperature',
  temperatureLabel: 'Temperature (empty for the model default)',
  modelDefault: 'default',
  stopSequences: 'Stop sequences',
  includeContext: 'Include context',
  modelPreferences: 'Model preferences',
  toolChoice: 'Tool choice',
  toolsOffered: 'Tools offered',
  metadata: 'Metadata',
  inputSchema: 'Input schema',
  rejectPlain: 'Reject',
  cardLabel: 'Sampling request from {0}',
  warnings: 'Warnings',
  staleCardLabel: 'Closed request from {0}',
  staleReason: 'Closed: the window was reloaded, so this request was rejected and the server was told.',
  hiddenCharsOne: '⚠ Contains 1 hidden or direction-changing character (shown as ⟦U+…⟧ in the preview).',
  hiddenCharsMany: '⚠ Contains {0} hidden or direction-changing characters (shown as ⟦U+…⟧ in the preview).',
  moreTextBelow: 'More text below: scroll inside the box to read it.',
  // The card's attribution line and what the panel leaves out
  attributionFrom: 'from {0}',
  attributionDuringToolCall: 'during tool call {0}',
  attributionWhileRunning: 'while {0} was running',
  calledBy: 'Called by {0}',
  receivedAt: 'received {0}',
  // How the request came (the history file says the same in English, src/shared/routeLabel.ts)
  routeServerRequest: 'server request',
  routeInputRequired: 'input-required round',
  routeOpenaiCall: 'OpenAI-compatible call',
  routeWithVersion: '{0} · MCP {1}',
  notShownOne: 'Not all of this request is shown here: 1 part is left out of the panel, but the model receives it when you approve.',
  notShownMany: 'Not all of this request is shown here: {0} parts are left out of the panel, but the model receives them when you approve.',
  answerModelLine: 'Model {0} · stop reason {1}',
  answerTokensIn: '{0} in',
  answerTokensOut: '{0} out',
  // Edits the panel cannot send
  invalidMaxTokens: 'Max tokens must be a whole number of at least 1.',
  invalidTemperature: 'Temperature must be a number from {0} to {1}, or empty for the model default.',
  chooseModel: 'Choose a model.',
  // Content blocks
  imageNotShown: 'Image not shown: {0} is not an allowed raster image type (png, jpeg, gif, webp) or its data is malformed.',
  imageAlt: 'Image from the server ({0})',
  audioNotPlayed: 'Audio not played: {0} is not an allowed audio type or its data is malformed.',
  audioLabel: 'Audio from the server ({0})',
  toolCall: 'Tool call {0}',
  toolCallId: 'id {0}',
  toolResultFor: 'Tool result for {0}',
  toolErrorFor: 'Tool error for {0}',
  structuredContent: 'Structured content',
  resource: 'Resource {0}',
  otherContent: 'Other content',
  imageNotLoaded: '[image not loaded: {0}]',
  linesNotShown: 'Link references and other lines not shown in the text above:',
  // Entries the panel could not read
  unknownServer: 'an unknown server',
  unknownServerStart: 'An unknown server',
  couldNotBeDisplayed: 'Could not be displayed',
  unreadableRequestLabel: 'Request from {0} that could not be displayed',
  unreadableRequest: 'This request could not be displayed: its field {0} is outside what the panel shows. Nothing was sent. Open the full request to read it, or reject it.',
  unreadableQuestionLabel: 'Question from {0} that could not be displayed',
  unreadableQuestion: 'This question could not be displayed: its field {0} is outside what the panel shows. Decline it; nothing is sent but the decline.',
  // Questions from servers (elicitation)
  asksForInformation: '{0} asks for information',
  asksForBrowserVisit: '{0} asks for a browser visit',
  requiredField: 'required',
  opensInBrowser: 'Opens {0} in your browser:',
  nothingSentBack: 'Nothing you do there is sent back through this panel; the server learns only whether you opened it.',
  submit: 'Submit',
  submitContext: 'sends these values to {0}',
  openUrl: 'Open {0}',
  openUrlContext: 'in the browser',
  decline: 'Decline',
  declineContext: 'question from {0}',
  dismissContext: 'dismisses without answering',
  mustBeNumber: '{0}: must be a number',
  // What is wrong with an answer to a question's form, {0} the field's name
  answerNotObject: 'content must be an object',
  fieldRequired: '{0}: is required',
  fieldNotInForm: '{0}: is not in the requested schema',
  fieldMustBeText: '{0}: must be a string',
  fieldAtMostChars: '{0}: must be at most {1} characters',
  fieldAtLeastChars: '{0}: must be at least {1} characters',
  fieldOneOf: '{0}: must be one of {1}',
  fieldValidFormat: '{0}: must be a valid {1}',
  fieldMustBeInteger: '{0}: must be an integer',
  fieldAtLeast: '{0}: must be at least {1}',
  fieldAtMost: '{0}: must be at most {1}',
  fieldTrueOrFalse: '{0}: must be true or false',
  fieldListOfStrings: '{0}: must be a list of strings',
  fieldNotAnOption: '{0}: contains {1}, not one of the options',
  fieldAtLeastChoices: '{0}: must have at least {1} choices',
  fieldAtMostChoices: '{0}: must have at most {1} choices',
} as const;

export type PanelStringKey = keyof typeof PANEL_STRINGS;
export type PanelStrings = { readonly [K in PanelStringKey]: string };

/** Longest accepted translation of one entry. */
const MAX_STRING = 2000;

const placeholders = (s: string): string => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');

/**
 * The table from the host, checked: a known key with a string of bounded length and the same
 * placeholders as the English text is taken; anything else keeps the English text.
 */
export function readPanelStrings(value: unknown): PanelStrings {
  const table: Record<string, string> = { ...PANEL_STRINGS };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return table as PanelStrings;
  for (const key of Object.keys(PANEL_STRINGS) as PanelStringKey[]) {
    const s = (value as Record<string, unknown>)[key];
    if (typeof s === 'string' && s.length > 0 && s.length <= MAX_STRING && placeholders(s) === placeholders(PANEL_STRINGS[key])) table[key] = s;
  }
  return table as PanelStrings;
}

/** Fills `{0}`, `{1}` … in `template` with `args`. */
export function formatString(template: string, ...args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const arg = args[Number(index)];
    return arg === undefined ? match : String(arg);
  });
}

/** The words a text is told in: the webview's `t`, the host's localized table, or English. */
export type PanelWords = (key: PanelStringKey, ...args: readonly (string | number)[]) => string;

/** Words from a table of the panel's strings (the host's localized one, or PANEL_STRINGS). */
export const wordsOf =
  (table: PanelStrings): PanelWords =>
  (key, ...args) =>
    formatString(table[key], ...args);

/** English: for what goes to servers and logs, and for tests. */
export const ENGLISH_WORDS: PanelWords = wordsOf(PANEL_STRINGS);
