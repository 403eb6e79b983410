/**
 * A card for an entry the panel could not read (it failed the protocol check): it says so, names the
 * server and the field when known, and still lets the user reject it or open the full request, so
 * one odd value never hides the entry nor blanks the rest of the panel.
 */
import { t } from './strings';
import type { UnreadableView } from '../shared/protocol';
import { button } from './controls';
import { h, text } from './dom';

export function renderUnreadableRequest(view: UnreadableView): HTMLElement {
  const server = view.serverName ?? t('unknownServer');
  return h(
    'article',
    { class: 'request unreadable', 'data-request-id': view.id, 'data-server': view.serverName, 'data-state': 'pending', 'data-step': 'approval', 'data-unreadable': true, 'aria-label': t('unreadableRequestLabel', server), tabindex: -1 },
    h('header', { class: 'request-header' }, h('h2', {}, text('span', server, { class: 'server-name' }), ' ', h('vscode-badge', {}, t('couldNotBeDisplayed')))),
    text('p', t('unreadableRequest', view.problem), { class: 'error', role: 'alert', 'data-role': 'unreadable' }),
    view.id !== undefined &&
      h(
        'div',
        { class: 'actions' },
        button('open-full-request', t('openFullRequest'), t('openFullRequestContext'), { secondary: true }),
        button('reject', t('rejectPlain'), t('approveContext', server), { secondary: true }),
      ),
  );
}

export function renderUnreadableElicitation(view: UnreadableView): HTMLElement {
  const server = view.serverName ?? t('unknownServer');
  return h(
    'article',
    { class: 'elicitation unreadable', 'data-elicitation-id': view.id, 'data-server': view.serverName, 'data-unreadable': true, 'aria-label': t('unreadableQuestionLabel', server) },
    h('header', { class: 'card-header' }, text('h2', t('asksForInformation', view.serverName ?? t('unknownServerStart')))),
    text('p', t('unreadableQuestion', view.problem), { class: 'error', role: 'alert', 'data-role': 'unreadable' }),
    view.id !== undefined && h('div', { class: 'actions' }, button('elicit-decline', t('decline'), t('declineContext', server), { secondary: true })),
  );
}
