import type { MailMessageListItem } from '../../shared/mail-reading-types';
import type { RecordMessageItem, RecordMessageLocation } from '../../shared/mail-records';
import type { MailboxScope } from '../sharing/mailbox-scope';

export interface RecordMessageSource {
  /** The copy it is shown from, as the list reads it. */
  message: MailMessageListItem;
  mailbox: MailboxScope & { address: string; ownerName: string };
  matched: boolean;
  linked: boolean;
  locations: RecordMessageLocation[];
}

/**
 * The one place a record's message is cut to what its mailbox's level lets the viewer see. `metadata`:
 * participants, date, whose mailbox (its address and its owner's name); `subject`: plus subject, snippet and conversation key (it may hold the
 * subject); `full`: plus attachments. Built field by field from an allow-list: a column added to the list
 * later does not reach a shared row by accident.
 */
export function recordMessageView(source: RecordMessageSource): RecordMessageItem {
  const { message, mailbox } = source;
  const level = mailbox.level;
  const item: RecordMessageItem = {
    id: Number(message.id),
    accountId: Number(message.accountId),
    level,
    own: mailbox.own,
    mailboxOwnerId: mailbox.ownerId,
    mailboxOwnerName: mailbox.ownerName,
    mailbox: mailbox.address,
    messageId: message.messageId,
    date: message.date,
    from: message.from,
    to: message.to,
    cc: message.cc,
    replyTo: message.replyTo,
    matched: source.matched,
    linked: source.linked,
    locations: source.locations,
  };
  if (level === 'metadata') return item;
  item.subject = message.subject;
  item.snippet = message.snippet;
  item.threadKey = message.threadKey;
  if (level === 'subject') return item;
  item.hasAttachments = message.hasAttachments;
  item.attachments = message.attachments;
  return item;
}
