/**
 * The request part of a card: provider and model, the prompt (system prompt and messages) and the
 * parameters, as editable fields while the request waits for approval, as text afterwards.
 */
import { t } from './strings';
import { PARAMETER_BOUNDS } from '../shared/parameterBounds';
import { editableText, type RequestView } from '../shared/protocol';
import { renderBlock, renderText } from './content';
import { fieldLabel, hiddenNote, nextId } from './controls';
import { fieldText, textField } from './bigText';
import { h, text } from './dom';
import { revealHiddenCharacters } from './hiddenCharacters';
import type { Draft } from './drafts';

/**
 * A card's parts are labelled groups, not sections: a labelled section is a landmark, and a queue of
 * cards would repeat the same landmark names (axe landmark-unique).
 */
const modelGroup = () => ({ class: 'model', role: 'group', 'aria-label': t('providerAndModel'), 'data-role': 'model' });

/** The model's input limit for the chosen provider and model, when known. */
function inputLimit(view: RequestView, providerId: string, model: string): number | undefined {
  return view.providers.find((p) => p.id === providerId)?.models.find((m) => m.id === model)?.maxInputTokens ?? view.maxInputTokens;
}

/**
 * The values derived from the request and the user's choices: the token estimate, the over-limit
 * warning and why the model was chosen. Filled at render and again after each edit (editState).
 */
export function showDerivedValues(section: HTMLElement, view: RequestView, draft: Draft, tokenEstimate: number): void {
  const providerId = draft.providerId ?? view.choice.providerId;
  const model = draft.model?.trim() || view.choice.model;
  const limit = inputLimit(view, providerId, model);
  const over = limit !== undefined && tokenEstimate > limit;
  const tokens = section.querySelector<HTMLElement>('[data-role="token-estimate"]');
  if (tokens) {
    const estimate = tokenEstimate.toLocaleString();
    tokens.textContent = limit === undefined ? t('tokensAbout', estimate) : t(over ? 'tokensOverLimit' : 'tokensOfLimit', estimate, limit.toLocaleString());
    tokens.classList.toggle('over', over);
  }
  const chosenByUser = providerId !== view.choice.providerId || model !== view.choice.model;
  const reason = section.querySelector<HTMLElement>('[data-role="choice-reason"]');
  if (reason) reason.textContent = revealHiddenCharacters(chosenByUser ? t('chosenByYou', view.choice.model, view.choice.reason) : t('chosenBecause', view.choice.reason));
}

export function modelSection(view: RequestView, draft: Draft, editable: boolean, tokenEstimate: number): HTMLElement {
  const section = modelFields(view, draft, editable);
  section.append(h('p', { class: 'muted', 'data-role': 'choice-reason' }), h('p', { class: 'tokens', 'data-role': 'token-estimate' }));
  showDerivedValues(section, view, draft, tokenEstimate);
  return section;
}

function modelFields(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
  const providerId = draft.providerId ?? view.choice.providerId;
  const model = draft.model ?? view.choice.model;
  const provider = view.providers.find((p) => p.id === providerId);
  if (!editable) {
    return h('div', modelGroup(), text('p', t('providerModelLine', providerId, model)));
  }
  const providerFieldId = nextId('provider');
  const modelFieldId = nextId('model');
  const listId = nextId('models');
  const select = h('select', { id: providerFieldId, 'data-action': 'edit-provider', 'aria-label': t('provider'), 'data-field': 'provider' });
  const providers = view.providers.some((p) => p.id === providerId) ? view.providers : [{ id: providerId, label: providerId, models: [] }, ...view.providers];
  for (const p of providers) {
    const option = h('option', { value: p.id });
    option.textContent = p.label && p.label !== p.id ? `${p.label} (${p.id})` : p.id;
    option.selected = p.id === providerId;
    select.appendChild(option);
  }
  const input = h('input', { id: modelFieldId, type: 'text', list: listId, 'data-action': 'edit-model', 'aria-label': t('model'), 'data-field': 'model', spellcheck: 'false' });
  input.value = model;
  const datalist = h('datalist', { id: listId, 'data-role': 'model-options' });
  fillModelOptions(datalist, provider?.models ?? []);
  return h(
    'div',
    modelGroup(),
    h('div', { class: 'row' }, h('div', { class: 'field', 'data-field-wrap': 'provider' }, fieldLabel(providerFieldId, t('provider')), select), h('div', { class: 'field', 'data-field-wrap': 'model' }, fieldLabel(modelFieldId, t('model')), input, datalist)),
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

/** One name for a message wherever the card shows it: its label, heading and accessible name. */
const messageName = (index: number, role: string): string => t('messageName', index + 1, role);

export function promptSection(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
  const section = h('div', { class: 'prompt', role: 'group', 'aria-label': t('prompt') });
  const systemId = nextId('system');
  const system = draft.systemPrompt ?? view.systemPrompt ?? '';
  if (editable) {
    const { area, notice } = textField('edit-system-prompt', t('systemPrompt'), system, 'system-prompt');
    area.id = systemId;
    section.append(h('div', { class: 'field', 'data-field-wrap': 'system-prompt' }, fieldLabel(systemId, t('systemPrompt')), area, notice, hiddenNote(system)));
  } else {
    section.append(h('div', { class: 'field' }, text('h3', t('systemPrompt')), system ? renderText(system) : text('p', t('none'), { class: 'muted' })));
  }
  view.messages.forEach((message, index) => {
    const original = editableText(message);
    const name = messageName(index, message.role);
    const article = h('article', { class: `message role-${message.role}`, 'aria-label': name });
    const titleId = nextId('msg');
    if (editable && original !== undefined) {
      const value = draft.messages?.[String(index)] ?? original;
      const { area, notice } = textField(`edit-message-${index}`, name, value, `message-${index}`);
      area.id = titleId;
      const preview = h('details', { class: 'preview' }, text('summary', t('preview')), h('div', { 'data-role': 'preview' }));
      preview.addEventListener('toggle', () => {
        if (preview.open) preview.lastElementChild?.replaceChildren(renderText(fieldText(area)));
      });
      article.append(h('div', { class: 'field', 'data-field-wrap': `message-${index}` }, fieldLabel(titleId, name), area, notice, hiddenNote(value), preview));
    } else {
      article.append(text('h3', name), ...message.content.map(renderBlock));
    }
    section.append(article);
  });
  if (view.messages.length === 0) section.append(text('p', t('noMessages'), { class: 'muted' }));
  return section;
}

function dl(entries: [string, Node | string | false | undefined][]): HTMLElement {
  const list = h('dl', { class: 'params-list' });
  for (const [k, v] of entries) if (v !== undefined && v !== false && v !== '') list.append(text('dt', k), typeof v === 'string' ? text('dd', v) : h('dd', {}, v));
  return list;
}

export function paramsSection(view: RequestView, draft: Draft, editable: boolean): HTMLElement {
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
      ...view.tools.map((tool) => h('li', {}, text('code', tool.name), tool.description ? ` — ${tool.description}` : '', h('details', {}, text('summary', t('inputSchema')), text('pre', tool.inputSchema)))),
    );
  const section = h('div', { class: 'params', role: 'group', 'aria-label': t('parameters') });
  if (editable) {
    const maxId = nextId('max-tokens');
    const tempId = nextId('temperature');
    const max = h('input', { id: maxId, type: 'number', min: 1, step: 1, inputmode: 'numeric', 'data-action': 'edit-max-tokens', 'aria-label': t('maxTokens'), 'data-field': 'max-tokens' });
    max.value = draft.maxTokens ?? String(view.maxTokens);
    const temp = h('input', { id: tempId, type: 'number', min: PARAMETER_BOUNDS.temperature.min, max: PARAMETER_BOUNDS.temperature.max, step: 0.1, 'data-action': 'edit-temperature', 'aria-label': t('temperatureLabel'), 'data-field': 'temperature', placeholder: t('modelDefault') });
    temp.value = draft.temperature ?? (view.temperature === undefined ? '' : String(view.temperature));
    section.append(h('div', { class: 'row' }, h('div', { class: 'field small', 'data-field-wrap': 'max-tokens' }, fieldLabel(maxId, t('maxTokens')), max), h('div', { class: 'field small', 'data-field-wrap': 'temperature' }, fieldLabel(tempId, t('temperature')), temp)));
  }
  section.append(
    dl([
      [t('maxTokens'), !editable && String(view.maxTokens)],
      [t('temperature'), !editable && (view.temperature === undefined ? t('modelDefault') : String(view.temperature))],
      [t('stopSequences'), view.stopSequences.length ? view.stopSequences.map((s) => JSON.stringify(s)).join(', ') : undefined],
      [t('includeContext'), view.includeContext],
      [t('modelPreferences'), prefText],
      [t('toolChoice'), view.toolChoice],
      [t('toolsOffered'), tools || undefined],
      [t('metadata'), view.metadata !== undefined ? text('pre', view.metadata) : undefined],
    ]),
  );
  return section;
}
