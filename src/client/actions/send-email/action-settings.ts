/**
 * What an admin sets on a "Send email" action (stored in the action's schema, `x-action-settings.sendEmail`), and
 * what the composer starts from for one record. No React here: table-tested in __tests__.
 */

/** The schema's `x-action` of the "Send email" record action. */
export const SEND_EMAIL_ACTION = 'mailbridge:sendEmail';
/** Its settings menu (`x-settings`). */
export const SEND_EMAIL_SETTINGS = 'actionSettings:mailbridgeSendEmail';
/** The scope hook that gives the action button its `onClick`. */
export const SEND_EMAIL_PROPS_HOOK = 'useMailbridgeSendEmailActionProps';
/** The same action among a table's own actions: one message per selected row. */
export const SEND_EMAIL_BULK_ACTION = 'mailbridge:sendEmailBulk';
export const SEND_EMAIL_BULK_PROPS_HOOK = 'useMailbridgeSendEmailBulkActionProps';

export interface SendEmailSettings {
  /** Fields of the record whose values are the To addresses (an email field by default). */
  to: string[];
  cc: string[];
  subject: string;
  /** The body, as HTML (plain text is turned into paragraphs). */
  body: string;
}

/** A collection field as NocoBase's client describes it (the part used here). */
export interface FieldMeta {
  name: string;
  interface?: string;
  type?: string;
  uiSchema?: { title?: string };
}

/** Field interfaces whose values can be addresses. */
const ADDRESS_INTERFACES = new Set(['email', 'input', 'textarea', 'multipleSelect', 'checkboxGroup']);

/** The fields an admin may pick for To and Cc. */
export function addressFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !!f.interface && ADDRESS_INTERFACES.has(f.interface));
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && !!v) : [];
}

/** The stored settings, with defaults: To is the collection's first email field until an admin picks others. */
export function readSettings(raw: unknown, fields: FieldMeta[]): SendEmailSettings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const to = names(s.to);
  const firstEmail = fields.find((f) => f.interface === 'email')?.name;
  return {
    to: to.length ? to : firstEmail ? [firstEmail] : [],
    cc: names(s.cc),
    subject: typeof s.subject === 'string' ? s.subject : '',
    body: typeof s.body === 'string' ? s.body : '',
  };
}

/** The addresses in the record's fields: a text may hold several (`a@x.org, b@y.org`); duplicates go. */
export function addressesFrom(record: Record<string, unknown>, fieldNames: string[]): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'string')
      v.split(/[,;\n]/)
        .map((s) => s.trim())
        .filter(Boolean)
        .forEach((s) => out.push(s));
    else if (Array.isArray(v)) v.forEach(add);
  };
  for (const name of fieldNames) add(record[name]);
  return [...new Map(out.map((a) => [a.toLowerCase(), a])).values()];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(valueText).filter(Boolean).join(', ');
  if (typeof value === 'object') return '';
  return String(value);
}

/**
 * Fills `{{field}}` placeholders with the record's values (`{{ name }}` too); an unknown field gives nothing. In
 * `html` mode the values are escaped, so a record's text never becomes markup.
 */
export function fillTemplate(template: string, record: Record<string, unknown>, mode: 'text' | 'html'): string {
  return template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => {
    const text = valueText(record[name]);
    return mode === 'html' ? escapeHtml(text) : text;
  });
}

/** The body as the composer's HTML: stored HTML as it is, plain text as paragraphs. */
export function bodyHtml(body: string, record: Record<string, unknown>): string {
  if (!body.trim()) return '';
  if (/<[a-z][\s\S]*>/i.test(body)) return fillTemplate(body, record, 'html');
  return body
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(fillTemplate(p, record, 'text')).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** What a "Send email" action opens the composer with: one record's addresses and defaults. */
export interface SendEmailTarget {
  collection: string;
  recordKey: string | number;
  to: string[];
  cc: string[];
  subject: string;
  html: string;
}

/** The composer's start for one record: its addresses from the chosen fields, the templates filled with its values. */
export function composerTarget(
  collection: string,
  recordKey: string | number,
  record: Record<string, unknown>,
  settings: SendEmailSettings,
): SendEmailTarget {
  return {
    collection,
    recordKey,
    to: addressesFrom(record, settings.to),
    cc: addressesFrom(record, settings.cc),
    subject: fillTemplate(settings.subject, record, 'text'),
    html: bodyHtml(settings.body, record),
  };
}

/**
 * The "Recipients and message" form, on classic and modern pages alike: the record's fields for To and Cc
 * (`options`), the subject and the message.
 */
export function recipientsAndMessageSchema(
  options: Array<{ value: string; label: string }>,
  t: (key: string, options?: Record<string, unknown>) => string,
) {
  const select = (title: string) => ({
    type: 'array',
    title,
    enum: options,
    'x-decorator': 'FormItem',
    'x-component': 'Select',
    'x-component-props': { mode: 'multiple', allowClear: true },
  });
  return {
    to: select(t('To: the record’s fields')),
    cc: select(t('Cc: the record’s fields')),
    subject: { type: 'string', title: t('Subject'), 'x-decorator': 'FormItem', 'x-component': 'Input' },
    body: {
      type: 'string',
      title: t('Message'),
      description: t('Write {{example}} to put in the record’s value of a field (here, its name).', {
        example: '{{name}}',
        interpolation: { escapeValue: false },
      }),
      'x-decorator': 'FormItem',
      'x-component': 'Input.TextArea',
      'x-component-props': { autoSize: { minRows: 4 } },
    },
  };
}
