import type { MailAddress } from '../../shared/mail-reading-types';
import type { ParticipantRole } from '../../shared/mail-records';
import { normalizeAddress } from './normalize-address';

/** One `mailParticipants` row. */
export interface ParticipantRow {
  messageRowId: number;
  accountId: number;
  role: ParticipantRole;
  address: string;
  domain: string;
}

/** The addresses of one message by role, as the sync has them (sender and bcc only where the envelope has them). */
export interface MessageAddresses {
  from?: MailAddress[] | null;
  sender?: MailAddress[] | null;
  replyTo?: MailAddress[] | null;
  to?: MailAddress[] | null;
  cc?: MailAddress[] | null;
  bcc?: MailAddress[] | null;
}

const ROLES: ParticipantRole[] = ['from', 'sender', 'replyTo', 'to', 'cc', 'bcc'];

/**
 * The participants rows of one stored message: every valid address once per role. A sender or reply-to that
 * repeats the From address adds nothing (servers fill the envelope's sender with From when there is no Sender).
 */
export function participantRows(
  ids: { messageRowId: number; accountId: number },
  message: MessageAddresses,
): ParticipantRow[] {
  const rows: ParticipantRow[] = [];
  const seen = new Set<string>();
  const from = new Set<string>();
  for (const role of ROLES) {
    for (const entry of message[role] ?? []) {
      const normalized = normalizeAddress(entry?.address);
      if (!normalized) continue;
      if (role === 'from') from.add(normalized.address);
      else if ((role === 'sender' || role === 'replyTo') && from.has(normalized.address)) continue;
      const key = `${role} ${normalized.address}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        messageRowId: ids.messageRowId,
        accountId: ids.accountId,
        role,
        address: normalized.address,
        domain: normalized.domain,
      });
    }
  }
  return rows;
}
