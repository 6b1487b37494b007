import type { MailMessageListItem } from '../../../shared/mail-reading-types';
import type { RecordMessageItem } from '../../../shared/mail-records';
import type { VisibleLevel } from '../../../shared/sharing';

/** Whose mail the block lists: the record's (matched by its fields, or linked to it), or the user's own. */
export type EmailsSource = 'record' | 'mine';

/** Which of a record's mail: found by its fields, linked to it by hand, or both. */
export type EmailsFoundBy = 'matched' | 'linked' | 'both';

/** The `only` a record's list is asked with: none for both. */
export function onlyOf(foundBy: EmailsFoundBy | undefined): 'matched' | 'linked' | undefined {
  return foundBy === 'matched' || foundBy === 'linked' ? foundBy : undefined;
}

/** The parts of a row besides the subject, each of which the block's settings can hide. */
export const EMAIL_COLUMNS = ['from', 'to', 'snippet', 'date', 'attachments', 'mailbox'] as const;
export type EmailColumn = (typeof EMAIL_COLUMNS)[number];
export const EMAIL_COLUMNS_DEFAULT: EmailColumn[] = ['from', 'snippet', 'date', 'attachments', 'mailbox'];

/** The columns a block shows: its saved choice (unknown names dropped), else the default. */
export function columnsOf(props: EmailsBlockProps): Set<EmailColumn> {
  const saved = props.columns?.filter((c): c is EmailColumn => (EMAIL_COLUMNS as readonly string[]).includes(c));
  return new Set(saved ?? EMAIL_COLUMNS_DEFAULT);
}

/** What the block's settings save in its schema (`x-component-props`). */
export interface EmailsBlockProps {
  source?: EmailsSource;
  /** "This record's mail" only: found by the record's fields, linked by hand, or both (the default). */
  foundBy?: EmailsFoundBy;
  columns?: string[];
  /** Fields of the record holding addresses (a text or array field, or a path such as `contacts.email`). */
  addressFields?: string[];
  /** Fields holding domains, or addresses whose domain counts. */
  domainFields?: string[];
  pageSize?: number;
}

export const EMAILS_PAGE_SIZES = [10, 20, 50, 100] as const;
export const EMAILS_PAGE_SIZE_DEFAULT = 20;

export type QuickFilter = 'all' | 'received' | 'sent' | 'attachments';

/** A collection field as the block's settings offer it. */
export interface FieldInfo {
  name: string;
  type?: string;
  interface?: string;
  uiSchema?: { title?: string };
  /** An association's target collection. */
  target?: string;
}

const TEXT_INTERFACES = new Set(['email', 'input', 'textarea', 'url', 'select', 'multipleSelect', 'json']);

/** The fields that can hold addresses or domains: text-like ones; association paths can be typed in. */
export function addressFieldCandidates(fields: FieldInfo[]): FieldInfo[] {
  return fields.filter((f) =>
    f.interface ? TEXT_INTERFACES.has(f.interface) : ['string', 'text'].includes(f.type ?? ''),
  );
}

const ASSOCIATION_INTERFACES = new Set(['m2o', 'o2m', 'm2m', 'obo', 'oho', 'mbm']);

/** Paths one association deep (`contact.email`), offered beside the record's own fields; deeper ones can be typed. */
export function associationPathCandidates(
  fields: FieldInfo[],
  fieldsOf: (collection: string) => FieldInfo[] | undefined,
): FieldInfo[] {
  return fields.flatMap((f) => {
    if (!f.target || !ASSOCIATION_INTERFACES.has(f.interface ?? '')) return [];
    const title = f.uiSchema?.title ?? f.name;
    return addressFieldCandidates(fieldsOf(f.target) ?? []).map((sub) => ({
      name: `${f.name}.${sub.name}`,
      uiSchema: { title: `${title} → ${sub.uiSchema?.title ?? sub.name}` },
    }));
  });
}

/** The source in force: "this record's mail" needs a record around the block, else it lists the user's mail. */
export function sourceOf(props: EmailsBlockProps, hasRecord: boolean): EmailsSource {
  if (!hasRecord) return 'mine';
  return props.source ?? 'record';
}

/** One row of the block, whichever source it came from. */
export interface EmailsBlockRow {
  id: number;
  accountId: number;
  /** The viewer's own mailbox: opened with the full reader. */
  own: boolean;
  level: VisibleLevel;
  /** Whose mailbox, for a colleague's shared mail: its address and its owner's name. */
  mailbox?: string;
  mailboxOwnerName?: string;
  from: MailRecordParty[];
  to: MailRecordParty[];
  subject?: string;
  snippet?: string;
  date: string | null;
  hasAttachments?: boolean;
}

type MailRecordParty = RecordMessageItem['from'][number];

export function rowFromRecordItem(item: RecordMessageItem): EmailsBlockRow {
  return {
    id: item.id,
    accountId: item.accountId,
    own: item.own,
    level: item.level,
    mailbox: item.own ? undefined : item.mailbox,
    mailboxOwnerName: item.own ? undefined : item.mailboxOwnerName || undefined,
    from: item.from,
    to: item.to,
    subject: item.subject,
    snippet: item.snippet,
    date: item.date,
    hasAttachments: item.hasAttachments,
  };
}

export function rowFromOwnItem(item: MailMessageListItem): EmailsBlockRow {
  return {
    id: Number(item.id),
    accountId: Number(item.accountId),
    own: true,
    level: 'full',
    from: item.from,
    to: item.to,
    subject: item.subject,
    snippet: item.snippet,
    date: item.date,
    hasAttachments: item.hasAttachments,
  };
}
