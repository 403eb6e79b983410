/**
 * One request's card. The data-* attributes are a contract with the end-to-end tests:
 * the card has data-request-id, data-server, data-state (pending|streaming|review|closed) and data-step;
 * every control has data-action; the answer area is data-role="response"; a closed request's reason is
 * in data-role="closed-reason".
 */
import { PARAMETER_BOUNDS } from '../shared/parameterBounds';
import { editableText, type RequestView } from '../shared/protocol';
import { routeLabel } from '../shared/routeLabel';
import { renderBlock, renderText } from './content';
import { h, text } from './dom';
import type { Draft } from './drafts';
import { countHiddenCharacters } from './hiddenCharacters';

export interface CardUi {
  readonly diffOpen: boolean;
}

let uid = 0;
const nextId = (prefix: string): string => `${prefix}-${++uid}`;

const OUTCOME_LABEL: Record<NonNullable<RequestView['closed']>['outcome'], string> = {
  answered: 'Answered',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const STATE_LABEL: Record<RequestView['step'], string> = {
  approval: 'Waiting for approval',
  answering: 'Answering',
  'manual-reply': 'Waiting for your reply',
  review: 'Review the answer',
  done: 'Done',
};

export function button(action: string, label: string, ariaLabel: string, opts: { secondary?: boolean; title?: string; disabled?: boolean } = {}): HTMLElement {
  const el = h('vscode-button', {
    'data-action': action,
    'aria-label': ariaLabel,
    title: opts.title ?? ariaLabel,
    secondary: opts.secondary,
    disabled: opts.disabled,
  });
  el.textContent = label;
  return el;
}

function rows(value: string, max = 16): number {
  let lines = 1;
  for (let i = 0; i < value.length && lines < max; i++) if (value.charCodeAt(i) === 10) lines++;
  return Math.max(3, lines);
}

function textarea(action: string, label: string, value: string, field?: string): HTMLTextAreaElement {
  const el = h('textarea', { 'data-action': action, 'aria-label': label, rows: rows(value), spellcheck: 'false', 'data-field': field });
  el.value = value;
  return el;
}

function fieldLabel(forId: string, label: string): HTMLElement {
  return h('label', { for: forId }, label, text('span', ' (edited)', { class: 'edited-mark' }));
}

function hiddenNote(value: string): HTMLElement | false {
  const n = countHiddenCharacters(value);
  return n > 0 && text('p', `⚠ Contains ${n} hidden or direction-changing character${n === 1 ? '' : 's'} (shown as ⟦U+…⟧ in the preview).`, { class: 'warning-inline' });
}

function header(view: RequestView): HTMLElement {
  const headingId = nextId('req-title');
  const meta = [view.serverSource && `from ${view.serverSource}`, view.toolCallName && `during tool call ${view.toolCallName}`, routeLabel(view.route, view.protocolVersion)]
    .filter(Boolean)
    .join(' · ');
  return h(
    'header',
    { class: 'request-header' },
    h('h2', { id: headingId }, text('span', view.serverName, { class: 'server-name' }), ' ', h('vscode-badge', {}, view.closed ? OUTCOME_LABEL[view.closed.outcome] : STATE_LABEL[view.step])),
    view.toolCaller !== undefined && text('p', `Called by ${view.toolCaller}`, { class: 'caller', 'data-role': 'caller' }),
    text('p', `${meta} · received ${new Date(view.receivedAt).toLocaleTimeString()}`, { class: 'muted' }),
  );
}

function warnings(view: RequestView): HTMLElement | false {
  return (
    view.warnings.length > 0 &&
    h('div', { class: 'warnings', role: 'alert', 'data-role': 'warnings' }, text('strong', 'Warnings'), h('ul', {}, ...view.warnings.map((w) => text('li', w))))
  );
}

/** What the panel leaves out although the model receives it, with the full request one click away. */
function notShown(view: RequestView): HTMLElement | false {
  const items = view.notShown ?? [];
  return (
    items.length > 0 &&
    h(
      'div',
      { class: 'not-shown warnings', role: 'alert', 'data-role': 'not-shown' },
      text('strong', `Not all of this request is shown here: ${items.length === 1 ? '1 part is' : `${items.length} parts are`} left out of the panel, but the model receives ${items.length === 1 ? 'it' : 'them'} when you approve.`),
      h('ul', {}, ...items.map((w) => text('li', w))),
      button('open-full-request', 'Open the full request', `Open the complete request from ${view.serverName} in a read-only editor`),
    )
  );
}

function modelSection(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
  const providerId = draft.providerId ?? view.choice.providerId;
  const model = draft.model ?? view.choice.model;
  const provider = view.providers.find((p) => p.id === providerId);
  const limit = provider?.models.find((m) => m.id === model)?.maxInputTokens ?? view.maxInputTokens;
  const over = limit !== undefined && view.tokenEstimate > limit;
  const tokens = text('p', `About ${view.tokenEstimate.toLocaleString()} input tokens${limit !== undefined ? ` of the model's ${limit.toLocaleString()} limit` : ''}${over ? ' — over the limit' : ''}.`, {
    class: over ? 'tokens over' : 'tokens',
    'data-role': 'token-estimate',
  });
  const reason = text('p', `Chosen because: ${view.choice.reason}`, { class: 'muted', 'data-role': 'choice-reason' });
  if (!editable) {
    return h('section', { class: 'model', 'aria-label': 'Provider and model' }, h('p', {}, 'Provider ', text('code', providerId), ', model ', text('code', model)), reason, tokens);
  }
  const providerFieldId = nextId('provider');
  const modelFieldId = nextId('model');
  const listId = nextId('models');
  const select = h('select', { id: providerFieldId, 'data-action': 'edit-provider', 'aria-label': 'Provider', 'data-field': 'provider' });
  const providers = view.providers.some((p) => p.id === providerId) ? view.providers : [{ id: providerId, label: providerId, models: [] }, ...view.providers];
  for (const p of providers) {
    const option = h('option', { value: p.id });
    option.textContent = p.label && p.label !== p.id ? `${p.label} (${p.id})` : p.id;
    option.selected = p.id === providerId;
    select.appendChild(option);
  }
  const input = h('input', { id: modelFieldId, type: 'text', list: listId, 'data-action': 'edit-model', 'aria-label': 'Model', 'data-field': 'model', spellcheck: 'false' });
  input.value = model;
  const datalist = h('datalist', { id: listId, 'data-role': 'model-options' });
  fillModelOptions(datalist, provider?.models ?? []);
  return h(
    'section',
    { class: 'model', 'aria-label': 'Provider and model' },
    h('div', { class: 'row' }, h('div', { class: 'field', 'data-field-wrap': 'provider' }, fieldLabel(providerFieldId, 'Provider'), select), h('div', { class: 'field', 'data-field-wrap': 'model' }, fieldLabel(modelFieldId, 'Model'), input, datalist)),
    reason,
    tokens,
  );
}

export function fillModelOptions(datalist: HTMLElement, models: RequestView['providers'][number]['models']): void {
  datalist.replaceChildren(
    ...models.map((m) => {
      const option = h('option', { value: m.id });
      option.textContent = m.name ?? m.id;
      return option;
    }),
  );
}

function promptSection(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
  const section = h('section', { class: 'prompt', 'aria-label': 'Prompt' });
  const systemId = nextId('system');
  const system = draft.systemPrompt ?? view.systemPrompt ?? '';
  if (editable) {
    const area = textarea('edit-system-prompt', 'System prompt', system, 'system-prompt');
    area.id = systemId;
    section.append(h('div', { class: 'field', 'data-field-wrap': 'system-prompt' }, fieldLabel(systemId, 'System prompt'), area, hiddenNote(system)));
  } else {
    section.append(h('div', { class: 'field' }, text('h3', 'System prompt'), system ? renderText(system) : text('p', '(none)', { class: 'muted' })));
  }
  view.messages.forEach((message, index) => {
    const original = editableText(message);
    const article = h('article', { class: `message role-${message.role}`, 'aria-label': `Message ${index + 1}, ${message.role}` });
    const titleId = nextId('msg');
    if (editable && original !== undefined) {
      const value = draft.messages?.[String(index)] ?? original;
      const area = textarea(`edit-message-${index}`, `Message ${index + 1} (${message.role}) text`, value, `message-${index}`);
      area.id = titleId;
      const preview = h('details', { class: 'preview' }, text('summary', 'Preview'), h('div', { 'data-role': 'preview' }));
      preview.addEventListener('toggle', () => {
        if (preview.open) preview.lastElementChild?.replaceChildren(renderText(area.value));
      });
      article.append(h('div', { class: 'field', 'data-field-wrap': `message-${index}` }, fieldLabel(titleId, `${message.role} · message ${index + 1}`), area, hiddenNote(value), preview));
    } else {
      article.append(text('h3', `${message.role} · message ${index + 1}`), ...message.content.map(renderBlock));
    }
    section.append(article);
  });
  if (view.messages.length === 0) section.append(text('p', 'No messages.', { class: 'muted' }));
  return section;
}

function dl(entries: [string, Node | string | false | undefined][]): HTMLElement {
  const list = h('dl', { class: 'params-list' });
  for (const [k, v] of entries) if (v !== undefined && v !== false && v !== '') list.append(text('dt', k), typeof v === 'string' ? text('dd', v) : h('dd', {}, v));
  return list;
}

function paramsSection(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
  const prefs = view.modelPreferences;
  const prefText = prefs
    ? [
        prefs.hints.length ? `hints: ${prefs.hints.join(', ')}` : 'no hints',
        prefs.costPriority !== undefined && `cost ${prefs.costPriority}`,
        prefs.speedPriority !== undefined && `speed ${prefs.speedPriority}`,
        prefs.intelligencePriority !== undefined && `intelligence ${prefs.intelligencePriority}`,
      ]
        .filter(Boolean)
        .join(' · ')
    : undefined;
  const tools =
    view.tools.length > 0 &&
    h(
      'ul',
      { class: 'tools' },
      ...view.tools.map((t) => h('li', {}, text('code', t.name), t.description ? ` — ${t.description}` : '', h('details', {}, text('summary', 'Input schema'), text('pre', t.inputSchema)))),
    );
  const section = h('section', { class: 'params', 'aria-label': 'Parameters' });
  if (editable) {
    const maxId = nextId('max-tokens');
    const tempId = nextId('temperature');
    const max = h('input', { id: maxId, type: 'number', min: 1, step: 1, inputmode: 'numeric', 'data-action': 'edit-max-tokens', 'aria-label': 'Max tokens', 'data-field': 'max-tokens' });
    max.value = draft.maxTokens ?? String(view.maxTokens);
    const temp = h('input', { id: tempId, type: 'number', min: PARAMETER_BOUNDS.temperature.min, max: PARAMETER_BOUNDS.temperature.max, step: 0.1, 'data-action': 'edit-temperature', 'aria-label': 'Temperature (empty for the model default)', 'data-field': 'temperature', placeholder: 'default' });
    temp.value = draft.temperature ?? (view.temperature === undefined ? '' : String(view.temperature));
    section.append(h('div', { class: 'row' }, h('div', { class: 'field small', 'data-field-wrap': 'max-tokens' }, fieldLabel(maxId, 'Max tokens'), max), h('div', { class: 'field small', 'data-field-wrap': 'temperature' }, fieldLabel(tempId, 'Temperature'), temp)));
  }
  section.append(
    dl([
      ['Max tokens', !editable && String(view.maxTokens)],
      ['Temperature', !editable && (view.temperature === undefined ? 'default' : String(view.temperature))],
      ['Stop sequences', view.stopSequences.length ? view.stopSequences.map((s) => JSON.stringify(s)).join(', ') : undefined],
      ['Include context', view.includeContext],
      ['Model preferences', prefText],
      ['Tool choice', view.toolChoice],
      ['Tools offered', tools || undefined],
      ['Metadata', view.metadata !== undefined ? text('pre', view.metadata) : undefined],
    ]),
  );
  return section;
}

function approvalActions(view: RequestView, draft: Draft, ui: CardUi): HTMLElement {
  const server = view.serverName;
  const reasonId = nextId('reject-reason');
  const reason = h('input', { id: reasonId, type: 'text', 'data-action': 'reject-reason', 'aria-label': 'Reason for rejecting (optional, sent to the server)', placeholder: 'optional' });
  reason.value = draft.rejectReason ?? '';
  return h(
    'div',
    { class: 'actions-area' },
    h('div', { class: 'draft-errors', role: 'alert', 'data-role': 'draft-errors' }),
    h(
      'div',
      { class: 'actions' },
      button('approve', 'Approve', `Approve the request from ${server} (Ctrl+Enter)`, { title: 'Approve and send (Ctrl+Enter / Cmd+Enter)' }),
      button('reject', 'Reject', `Reject the request from ${server}`, { secondary: true }),
      button('allow-session', 'Allow for this session', `Approve and allow ${server} without asking for this session`, { secondary: true }),
      button('always-allow', 'Always allow this server', `Approve and always allow ${server} without asking`, { secondary: true }),
      button('toggle-diff', ui.diffOpen ? 'Hide changes' : 'Show changes', 'Show or hide the changes you made to this request', { secondary: true }),
      button('show-diff', 'Open diff editor', 'Open the original and edited request in the diff editor', { secondary: true }),
      button('open-full-request', 'Open the full request', 'Open the complete request, as the model receives it, in a read-only editor', { secondary: true }),
    ),
    h('div', { class: 'field reject-reason' }, h('label', { for: reasonId }, 'Reason for rejecting'), reason),
    h('div', { class: 'diff', 'data-role': 'diff', hidden: !ui.diffOpen }),
  );
}

function responseSection(view: RequestView, draft: Draft): HTMLElement | false {
  if (view.state === 'pending' || (view.state === 'closed' && !view.responseText && !view.response)) return false;
  const area = h('section', { class: 'response', 'data-role': 'response', 'aria-label': 'Answer', 'aria-live': 'polite' });
  const nonText = view.response?.content.filter((b) => b.type !== 'text') ?? [];
  const meta = view.response
    ? text(
        'p',
        `Model ${view.response.model} · stop reason ${view.response.stopReason}${view.response.inputTokens !== undefined ? ` · ${view.response.inputTokens} in` : ''}${view.response.outputTokens !== undefined ? ` · ${view.response.outputTokens} out` : ''}`,
        { class: 'muted' },
      )
    : false;
  if (view.step === 'manual-reply' && view.state !== 'closed') {
    const id = nextId('manual');
    const reply = textarea('manual-reply', 'Your reply to send as the model answer', draft.manualReply ?? '');
    reply.id = id;
    area.append(
      text('h3', 'Manual reply'),
      h('label', { for: id }, 'Type the answer to send back to the server'),
      reply,
      h('div', { class: 'actions' }, button('send-manual-reply', 'Send', 'Send the manual reply (Ctrl+Enter)', { title: 'Send (Ctrl+Enter / Cmd+Enter)' })),
    );
    return area;
  }
  if (view.step === 'review' && view.state !== 'closed') {
    const hasText = view.response === undefined || view.response.content.some((b) => b.type === 'text');
    area.append(text('h3', 'Review the answer'));
    if (meta) area.append(meta);
    if (hasText) {
      const id = nextId('response');
      const edit = textarea('edit-response', 'The answer (editable before it is sent)', draft.response ?? view.responseText, 'response');
      edit.id = id;
      area.append(h('div', { class: 'field', 'data-field-wrap': 'response' }, fieldLabel(id, 'Answer'), edit, hiddenNote(draft.response ?? view.responseText)));
    }
    area.append(
      ...nonText.map(renderBlock),
      h(
        'div',
        { class: 'actions' },
        button('approve-response', 'Approve response', 'Send this answer to the server (Ctrl+Enter)', { title: 'Send (Ctrl+Enter / Cmd+Enter)' }),
        button('reject-response', 'Reject response', 'Reject this answer; the server gets an error', { secondary: true }),
        button('regenerate', 'Regenerate', 'Ask the model again', { secondary: true }),
      ),
    );
    return area;
  }
  area.append(text('h3', 'Answer'));
  if (meta) area.append(meta);
  if (view.state === 'closed' || view.response) {
    if (view.responseText) area.append(renderText(view.responseText));
    area.append(...nonText.map(renderBlock));
  } else {
    area.append(text('pre', view.responseText, { class: 'response-text', 'data-role': 'response-text' }));
    if (!view.responseText) area.append(text('p', 'Waiting for the model…', { class: 'muted', 'data-role': 'waiting' }));
  }
  return area;
}

export function renderCard(view: RequestView, draft: Draft, ui: CardUi): HTMLElement {
  const editable = view.state === 'pending' && view.step === 'approval';
  const card = h('section', {
    class: `request state-${view.state}`,
    'data-request-id': view.requestId,
    'data-server': view.serverName,
    'data-state': view.state,
    'data-step': view.step,
    'aria-label': `Sampling request from ${view.serverName}`,
    tabindex: -1,
  });
  card.append(
    header(view),
    view.closed ? text('p', `${OUTCOME_LABEL[view.closed.outcome]}: ${view.closed.reason}`, { class: 'closed-reason', 'data-role': 'closed-reason', role: 'status' }) : '',
    view.error !== undefined ? text('p', view.error, { class: 'error', role: 'alert', 'data-role': 'error' }) : '',
    warnings(view) || '',
    notShown(view) || '',
    modelSection(view, draft, editable),
    promptSection(view, draft, editable),
    paramsSection(view, draft, editable),
    editable ? approvalActions(view, draft, ui) : '',
    responseSection(view, draft) || '',
  );
  return card;
}

/** A request shown before a window reload: the pipeline rejected it, so it is gone. */
export function renderStaleCard(summary: { requestId: string; serverName: string }): HTMLElement {
  return h(
    'section',
    { class: 'request state-closed stale', 'data-request-id': summary.requestId, 'data-server': summary.serverName, 'data-state': 'closed', 'data-step': 'done', 'aria-label': `Closed request from ${summary.serverName}` },
    h('header', { class: 'request-header' }, h('h2', {}, text('span', summary.serverName, { class: 'server-name' }))),
    text('p', 'Closed: the window was reloaded, so this request was rejected and the server was told.', { class: 'closed-reason', 'data-role': 'closed-reason', role: 'status' }),
  );
}
