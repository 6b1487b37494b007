/**
 * The Emails block's settings fields as form schemas, shared by its classic settings menu and its modern (v2) flow
 * step. `t` is the plugin's translation, as each page kind gives it.
 */
import { EMAIL_COLUMNS, type EmailColumn } from './emails-block-props';

type T = (key: string) => string;
export interface FieldOption {
  label: string;
  value: string;
}

/** Address or domain fields: the listed ones, and typed paths through associations (`contacts.email`). */
export function fieldSelectSchema(title: string, options: FieldOption[], t: T) {
  return {
    type: 'array',
    title,
    'x-decorator': 'FormItem',
    'x-component': 'Select',
    'x-component-props': { mode: 'tags', options, placeholder: t('A field, or a path such as contacts.email') },
  };
}

/** Whose mail the block lists: the record's (offered only where there is one) or the user's own. */
export function sourceSchema(onRecord: boolean, t: T) {
  return {
    type: 'string',
    title: t('Mail shown'),
    'x-decorator': 'FormItem',
    'x-component': 'Radio.Group',
    enum: [
      ...(onRecord ? [{ label: t("This record's mail"), value: 'record' }] : []),
      { label: t('My mail'), value: 'mine' },
    ],
  };
}

/** Which of the record's mail: found by its fields, linked to it by hand, or both. */
export function foundBySchema(t: T) {
  return {
    type: 'string',
    title: t('Which mail of the record'),
    'x-decorator': 'FormItem',
    'x-component': 'Radio.Group',
    enum: [
      { label: t('Found by its fields, and linked to it'), value: 'both' },
      { label: t('Only found by its fields'), value: 'matched' },
      { label: t('Only linked to it'), value: 'linked' },
    ],
  };
}

/** The parts a row shows beside its subject. */
export function columnsSchema(title: string, t: T) {
  const labels: Record<EmailColumn, string> = {
    from: t('From'),
    to: t('To'),
    snippet: t('Preview text'),
    date: t('Date'),
    attachments: t('Attachment icon'),
    mailbox: t("Whose mailbox (a colleague's shared mail)"),
  };
  return {
    type: 'array',
    title,
    'x-decorator': 'FormItem',
    'x-component': 'Checkbox.Group',
    enum: EMAIL_COLUMNS.map((value) => ({ label: labels[value], value })),
  };
}
