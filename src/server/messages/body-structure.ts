import type { MessageStructureObject } from 'imapflow';
import { cleanFileName, normalizeContentType } from '../../shared/mail-reading-files';
import type { MailAttachmentMeta } from '../../shared/mail-reading-types';

/** The part that gives a list row its snippet. */
export interface TextPartRef {
  part: string;
  html: boolean;
  encoding: string;
  charset: string;
}

export interface StructureSummary {
  textPart: TextPartRef | null;
  attachments: MailAttachmentMeta[];
  /** Any attachment a user would call a file (inline `cid:` images in the body do not count). */
  hasAttachments: boolean;
}

function lower(v: string | undefined | null): string {
  return (v ?? '').toLowerCase();
}

/** Without controls (NUL survives decoding and PostgreSQL text rejects it) or bidi overrides that fake an extension. */
function filenameOf(node: MessageStructureObject): string | null {
  return cleanFileName(node.dispositionParameters?.filename ?? node.parameters?.name);
}

/**
 * The file's size from its encoded size on the server. Base64 (RFC 2045 §6.8) carries 3 bytes in 4 characters, in
 * lines of at most 76 plus CRLF: an estimate until the part is read (message-body.ts then stores the exact size).
 */
export function decodedSize(encodedSize: number, encoding: string | undefined): number {
  if (lower(encoding) !== 'base64' || encodedSize <= 0) return Math.max(0, encodedSize);
  const lineBreaks = 2 * Math.ceil(encodedSize / 78);
  return Math.max(0, Math.floor(((encodedSize - lineBreaks) * 3) / 4));
}

function isCalendar(a: MailAttachmentMeta): boolean {
  return a.contentType === 'text/calendar' || a.contentType === 'application/ics';
}

/**
 * RFC 3501 §6.4.5: a non-multipart message has a single part "1"; imapflow leaves the root node's `part` unset.
 */
function partOf(node: MessageStructureObject): string {
  return node.part ?? '1';
}

function isBodyText(node: MessageStructureObject): boolean {
  const type = lower(node.type);
  return (
    (type === 'text/plain' || type === 'text/html') && lower(node.disposition) !== 'attachment' && !filenameOf(node)
  );
}

/** Reads what the list needs from BODYSTRUCTURE alone: no body bytes are fetched for it. */
export function summarizeStructure(root: MessageStructureObject | undefined): StructureSummary {
  const attachments: MailAttachmentMeta[] = [];
  let plain: MessageStructureObject | null = null;
  let html: MessageStructureObject | null = null;

  // An invitation's text/calendar alternative of its text (RFC 6047 §2.4), set apart in case the file is attached too.
  const calendarAlternatives: MailAttachmentMeta[] = [];

  const walk = (node: MessageStructureObject, inRelated: boolean, inAlternative: boolean) => {
    const type = lower(node.type);
    if (type.startsWith('multipart/')) {
      for (const child of node.childNodes ?? [])
        walk(child, inRelated || type === 'multipart/related', type === 'multipart/alternative');
      return;
    }
    if (isBodyText(node)) {
      if (type === 'text/plain' && !plain) plain = node;
      if (type === 'text/html' && !html) html = node;
      return;
    }
    const disposition = lower(node.disposition);
    const contentId = node.id ? node.id.replace(/^<|>$/g, '') : null;
    // An image referenced from the HTML (multipart/related, or inline with a Content-ID) is part of the body.
    const inline =
      disposition !== 'attachment' &&
      !!contentId &&
      (inRelated || disposition === 'inline') &&
      type.startsWith('image/');
    const meta: MailAttachmentMeta = {
      part: partOf(node),
      filename:
        filenameOf(node) ??
        (type === 'message/rfc822' ? cleanFileName(node.envelope?.subject && `${node.envelope.subject}.eml`) : null),
      contentType: normalizeContentType(type),
      size: decodedSize(node.size ?? 0, node.encoding),
      inline,
      contentId,
    };
    if (inAlternative && isCalendar(meta) && !meta.filename && disposition !== 'attachment')
      calendarAlternatives.push(meta);
    else attachments.push(meta);
  };
  if (root) walk(root, false, false);
  // Listed only when the sender did not attach the invitation as a file as well, or it would show twice.
  if (!attachments.some(isCalendar)) attachments.push(...calendarAlternatives);

  const chosen = (plain ?? html) as MessageStructureObject | null;
  return {
    textPart: chosen
      ? {
          part: partOf(chosen),
          html: chosen === html && chosen !== plain,
          encoding: lower(chosen.encoding) || '7bit',
          charset: chosen.parameters?.charset ?? 'utf-8',
        }
      : null,
    attachments,
    hasAttachments: attachments.some((a) => !a.inline),
  };
}
