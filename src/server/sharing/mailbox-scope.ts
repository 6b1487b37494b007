import type { VisibleLevel } from '../../shared/sharing';

/** One mailbox whose mail a viewer may see on records, and how much of it. */
export interface MailboxScope {
  accountId: number;
  /** The mailbox owner's user id. */
  ownerId: number;
  /** The viewer's own mailbox: everything, private folders included. */
  own: boolean;
  level: VisibleLevel;
}
