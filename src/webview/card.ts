/**
 * One request's card. The data-* attributes are a contract with the end-to-end tests:
 * the card has data-request-id, data-server, data-state (pending|streaming|review|closed) and data-step;
 * every control has data-action; the answer area is data-role="response"; a closed request's reason is
 * in data-role="closed-reason". Its parts: requestSections (the request), approvalActions (the
 * decision), responseSection (the answer).
 */
import type { RequestView } from '../shared/protocol';
import { routeLabel } from '../shared/routeLabel';
import { approvalActions, type CardUi } from './approvalActions';
import { button, nextId } from './controls';
import { h, text } from './dom';
import { computeEdits, editedTokenEstimate, type Draft } from './drafts';
import { modelSection, paramsSection, promptSection } from './requestSections';
import { responseSection } from './responseSection';

export type { CardUi } from './approvalActions';

export const OUTCOME_LABEL: Record<NonNullable<RequestView['closed']>['outcome'], string> = {
  answered: 'Answered',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export const STATE_LABEL: Record<RequestView['step'], string> = {
  approval: 'Waiting for approval',
  answering: 'Answering',
  'manual-reply': 'Waiting for your reply',
  review: 'Review the answer',
  done: 'Done',
};

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
    // A group, not an alert: a card is redrawn on every update and would repeat it; the announcer says a new request has warnings.
    h('div', { class: 'warnings', role: 'group', 'aria-label': 'Warnings', 'data-role': 'warnings' }, text('strong', 'Warnings'), h('ul', {}, ...view.warnings.map((w) => text('li', w))))
  );
}

/** What the panel leaves out although the model receives it, with the full request one click away. */
function notShown(view: RequestView): HTMLElement | false {
  const items = view.notShown ?? [];
  return (
    items.length > 0 &&
    h(
      'div',
      { class: 'not-shown warnings', 'data-role': 'not-shown' },
      text('strong', `Not all of this request is shown here: ${items.length === 1 ? '1 part is' : `${items.length} parts are`} left out of the panel, but the model receives ${items.length === 1 ? 'it' : 'them'} when you approve.`),
      h('ul', {}, ...items.map((w) => text('li', w))),
      button('open-full-request', 'Open the full request', `from ${view.serverName}, in a read-only editor`),
    )
  );
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
    modelSection(view, draft, editable, editable ? editedTokenEstimate(view, computeEdits(view, draft).edits) : view.tokenEstimate),
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
