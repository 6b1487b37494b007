import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailAddress } from '../../shared/mail-reading-types';

export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Set for an image the HTML shows through `cid:` (RFC 2392). */
  contentId?: string | null;
  inline?: boolean;
}

export interface OutgoingMessage {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  subject: string;
  html: string;
  text: string;
  /** `<id@domain>`, fixed when the message was first stored: the same on every attempt. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  date: Date;
  attachments: OutgoingAttachment[];
}

export interface BuiltMessage {
  raw: Buffer;
  /** SMTP envelope: MAIL FROM and every RCPT TO, Bcc included (RFC 5321 §3.3). */
  envelope: { from: string; to: string[] };
}

/**
 * The message as RFC 5322 text. nodemailer encodes non-ASCII subjects and names as RFC 2047 encoded words and
 * picks quoted-printable or base64 per part; the Bcc header is left out of the text (RFC 5322 §3.6.3 allows it,
 * and it keeps every recipient from seeing the blind copies) while the envelope still carries those recipients.
 */
export async function buildMime(m: OutgoingMessage): Promise<BuiltMessage> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    cc: m.cc,
    bcc: m.bcc,
    subject: m.subject,
    html: m.html,
    text: m.text,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo ?? undefined,
    references: m.references.length ? m.references : undefined,
    date: m.date,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      ...(a.inline && a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
    })),
    // Content comes only from the request and the outbox, never from a path or URL named in it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const node = composer.compile();
  const raw = await node.build();
  const envelope = node.getEnvelope() as { from: string; to: string[] };
  return { raw, envelope: { from: m.from.address, to: envelope.to } };
}
