import type { MailMessageView } from '../../../shared/mail-reading-types';
import type { ComposeMode } from '../../../shared/mail-sending';

/** What opens the composer: a new message, or a reply/forward of a message. */
export interface ComposeRequest {
  mode: ComposeMode;
  accountId: number | string;
  source?: MailMessageView;
}
