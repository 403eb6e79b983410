/**
 * An elicitation card: a server asks the user for form values or to open a URL. The data-* hooks are
 * a contract with the end-to-end tests: the card has data-elicitation-id, data-server and data-mode;
 * each form control is [data-field="<property name>"] (native input, select or checkbox); actions are
 * elicit-accept / elicit-decline / elicit-cancel / elicit-open-url; problems are in [data-role="elicit-errors"];
 * a closed card's reason is in [data-role="elicit-closed"]. Server text only ever goes through textContent.
 */
import type { ElicitValue, PropertySchema, RequestedSchema } from '../shared/elicitation';
import type { ElicitationView } from '../shared/protocol';
import { button } from './controls';
import { h, text } from './dom';
import { t, tParts } from './strings';

let uid = 0;

const INPUT_TYPE_BY_FORMAT: Record<string, string> = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' };

function options(schema: PropertySchema): { value: string; label: string }[] {
  if (schema.type === 'array') {
    if (schema.items?.anyOf) return schema.items.anyOf.map((o) => ({ value: o.const, label: o.title ?? o.const }));
    return (schema.items?.enum ?? []).map((v) => ({ value: v, label: v }));
  }
  if (schema.oneOf) return schema.oneOf.map((o) => ({ value: o.const, label: o.title ?? o.const }));
  const names = (schema as { enumNames?: unknown }).enumNames;
  return (schema.enum ?? []).map((v, i) => ({ value: v, label: Array.isArray(names) && typeof names[i] === 'string' ? names[i] : v }));
}

function control(name: string, schema: PropertySchema, value: ElicitValue | undefined, id: string, required: boolean): HTMLElement {
  const common = { id, 'data-field': name, 'aria-required': required ? 'true' : undefined };
  if (schema.type === 'boolean') {
    const input = h('input', { ...common, type: 'checkbox', checked: value === true });
    input.checked = value === true;
    return input;
  }
  if (schema.type === 'array' || schema.enum || schema.oneOf) {
    const multiple = schema.type === 'array';
    const chosen = new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
    const select = h('select', { ...common, multiple, size: multiple ? Math.min(8, options(schema).length) : undefined });
    if (!multiple && !required) select.append(h('option', { value: '' }, '—'));
    for (const o of options(schema)) {
      const option = h('option', { value: o.value, selected: chosen.has(o.value) }, o.label);
      option.selected = chosen.has(o.value);
      select.append(option);
    }
    if (!multiple) select.value = typeof value === 'string' ? value : required ? (options(schema)[0]?.value ?? '') : '';
    return select;
  }
  const numeric = schema.type === 'number' || schema.type === 'integer';
  const input = h('input', {
    ...common,
    type: numeric ? 'number' : (INPUT_TYPE_BY_FORMAT[schema.format ?? ''] ?? 'text'),
    step: numeric ? (schema.type === 'integer' ? 1 : 'any') : undefined,
    min: schema.minimum,
    max: schema.maximum,
    minlength: schema.minLength,
    maxlength: schema.maxLength,
  });
  input.value = value === undefined ? '' : String(value);
  return input;
}

function formBody(view: Extract<ElicitationView, { mode: 'form' }>, readOnly: boolean): HTMLElement {
  const schema = view.requestedSchema;
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties).map(([name, property]) => {
    const id = `elicit-field-${++uid}`;
    const input = control(name, property, view.defaults[name], id, required.has(name));
    if (readOnly) input.setAttribute('disabled', '');
    return h(
      'div',
      { class: 'field elicit-field', 'data-field-wrap': name },
      h('label', { for: id }, property.title ?? name, required.has(name) ? text('span', ' *', { class: 'required-mark', title: t('requiredField') }) : undefined),
      input,
      property.description ? text('p', property.description, { class: 'muted' }) : undefined,
    );
  });
  return h('div', { class: 'elicit-form' }, ...fields);
}

function urlBody(view: Extract<ElicitationView, { mode: 'url' }>): HTMLElement {
  return h(
    'div',
    { class: 'elicit-url' },
    h('p', {}, ...tParts('opensInBrowser', text('strong', view.host, { 'data-role': 'elicit-host' }))),
    text('code', view.url, { class: 'elicit-full-url', 'data-role': 'elicit-url' }),
    text('p', t('nothingSentBack'), { class: 'muted' }),
  );
}

export function renderElicitationCard(view: ElicitationView): HTMLElement {
  const closed = view.closedReason !== undefined;
  const titleId = `elicit-title-${++uid}`;
  const actions = closed
    ? text('p', view.closedReason ?? '', { class: 'closed-reason', 'data-role': 'elicit-closed', role: 'status' })
    : h(
        'div',
        { class: 'actions' },
        view.mode === 'form'
          ? button('elicit-accept', t('submit'), t('submitContext', view.serverName))
          : button('elicit-open-url', t('openUrl', view.host), t('openUrlContext')),
        button('elicit-decline', t('decline'), t('declineContext', view.serverName), { secondary: true }),
        button('elicit-cancel', t('cancel'), t('dismissContext'), { secondary: true }),
      );
  return h(
    'article',
    {
      class: `card elicitation${closed ? ' closed' : ''}`,
      'data-elicitation-id': view.id,
      'data-server': view.serverName,
      'data-mode': view.mode,
      'data-state': closed ? 'closed' : 'pending',
      'aria-labelledby': titleId,
      tabindex: -1,
    },
    h('header', { class: 'card-header' }, text('h2', t(view.mode === 'form' ? 'asksForInformation' : 'asksForBrowserVisit', view.serverName), { id: titleId })),
    text('p', view.message, { class: 'elicit-message', 'data-role': 'elicit-message' }),
    view.mode === 'form' ? formBody(view, closed) : urlBody(view),
    h('div', { class: 'draft-errors', 'data-role': 'elicit-errors', role: 'alert' }),
    actions,
  );
}

/** Reads the form's controls into content: empty text and number fields are left out. */
export function readElicitationForm(card: HTMLElement, schema: RequestedSchema): { content: Record<string, ElicitValue>; problems: string[] } {
  const content: Record<string, ElicitValue> = {};
  const problems: string[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    const el = [...card.querySelectorAll<HTMLElement>('[data-field]')].find((e) => e.dataset.field === name);
    if (!el) continue;
    if (property.type === 'boolean') {
      content[name] = (el as HTMLInputElement).checked === true;
    } else if (property.type === 'array') {
      content[name] = [...el.querySelectorAll<HTMLOptionElement>('option')].filter((o) => o.selected).map((o) => o.getAttribute('value') ?? '');
    } else {
      const raw = (el as HTMLInputElement).value;
      if (raw === '') continue;
      if (property.type === 'number' || property.type === 'integer') {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) problems.push(t('mustBeNumber', name));
        else content[name] = n;
      } else content[name] = raw;
    }
  }
  return { content, problems };
}

export function showElicitationErrors(card: HTMLElement, problems: readonly string[]): void {
  card.querySelector('[data-role="elicit-errors"]')?.replaceChildren(...problems.map((p) => text('p', p)));
  card.querySelector('[data-action="elicit-accept"]')?.toggleAttribute('disabled', problems.length > 0);
}
