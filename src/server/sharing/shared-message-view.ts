import type { MailMessageListItem, MailMessageView } from '../../shared/mail-reading-types';
import type { SharedMailboxInfo, SharedMessageView } from '../../shared/shared-mail-types';
import type { VisibleLevel } from '../../shared/sharing';

/**
 * The allow-list of what a level shows of a message: a field is out unless named here, so a column added to the
 * message later never reaches a colleague by default. A list item has no body; `full` then carries none either.
 */
export function toSharedMessageView(
  message: MailMessageListItem | MailMessageView,
  level: VisibleLevel,
  mailbox: SharedMailboxInfo,
): SharedMessageView {
  const view: SharedMessageView = {
    id: Number(message.id),
    level,
    mailbox,
    date: message.date,
    from: message.from,
    to: message.to,
    cc: message.cc,
  };
  if (level === 'metadata') return view;
  view.subject = message.subject;
  view.snippet = message.snippet;
  if (level === 'subject') return view;
  view.hasAttachments = message.hasAttachments;
  view.attachments = message.attachments;
  if ('text' in message) {
    view.text = message.text;
    view.html = message.html;
    view.hasRemoteContent = message.hasRemoteContent;
    view.bodyError = message.bodyError;
  }
  return view;
}
