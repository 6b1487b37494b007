import type { MailMessageView } from '../../../shared/mail-reading-types';
import type { ComposeMode } from '../../../shared/mail-sending';
import type { OutboxItemView } from '../../../shared/mail-sending-types';

/** What opens the composer: a new message, a reply/forward of a message, or a saved draft to go on with. */
export interface ComposeRequest {
  mode: ComposeMode;
  accountId: number | string;
  source?: MailMessageView;
  draft?: OutboxItemView;
  /** A new message's starting values (the "Send email" record action). */
  prefill?: { to: string[]; cc: string[]; subject: string; html: string };
  /** The record a sent message is linked to (`values.record` of the send). */
  record?: { collection: string; recordKey: string | number };
}
