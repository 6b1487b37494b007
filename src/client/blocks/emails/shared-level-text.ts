import type { VisibleLevel } from '../../../shared/sharing';
import { k } from '../../locale';

/**
 * Why part of a colleague's message is not shown: the owner shares the mailbox below `full`, and the server sent
 * only what the level allows (records/record-message-view.ts). `null` at `full`.
 */
export function withheldReason(level: VisibleLevel): string | null {
  if (level === 'metadata')
    return k(
      '{{owner}} shares this mailbox at the "participants and date" level: the subject, text and attachments are not shared with you.',
    );
  if (level === 'subject')
    return k('{{owner}} shares this mailbox at the "subject" level: the text and attachments are not shared with you.');
  return null;
}
