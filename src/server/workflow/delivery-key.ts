import { createHash } from 'node:crypto';
import type { MailAddress } from '../../shared/mail-reading-types';

export interface KeyedMessage {
  messageId: string | null;
  from: MailAddress[];
  /** The Date header. */
  sentAt: Date | string | null;
  subject: string | null;
  size: number;
}

/**
 * What identifies a message across folders, resyncs and UIDVALIDITY rebuilds: its Message-ID (RFC 5322 §3.6.4),
 * or, for the rare message without one, a hash of what its copies share (sender, Date header, subject, size).
 */
export function messageKey(m: KeyedMessage): string {
  const id = m.messageId?.trim();
  if (id) return id.slice(0, 500);
  const sentAt = m.sentAt ? new Date(m.sentAt).toISOString() : '';
  const from = m.from.map((a) => a.address.toLowerCase()).join(',');
  const digest = createHash('sha256')
    .update(JSON.stringify([from, sentAt, m.subject ?? '', Number(m.size) || 0]))
    .digest('hex');
  return `hash:${digest}`;
}
