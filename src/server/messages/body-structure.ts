import type { MessageStructureObject } from 'imapflow';
import { normalizeContentType } from '../../shared/mail-reading-files';
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

function filenameOf(node: MessageStructureObject): string | null {
  const name = node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
  // eslint-disable-next-line no-control-regex -- NUL survives decoding and PostgreSQL text rejects it.
  return name ? name.replace(/[\r\n\u0000]/g, '').trim() || null : null;
}

/**
 * RFC 3501 §6.4.5: a non-multipart message has a single part "1"; imapflow leaves the root node's `part` unset.
 */
function partOf(node: MessageStructureObject): string {
  return node.part ?? '1';
}

function isBodyText(node: MessageStructureObject): boolean {
  const type = lower(node.type);
  return (type === 'text/plain' || type === 'text/html') && lower(node.disposition) !== 'attachment' && !filenameOf(node);
}

/** Reads what the list needs from BODYSTRUCTURE alone: no body bytes are fetched for it. */
export function summarizeStructure(root: MessageStructureObject | undefined): StructureSummary {
  const attachments: MailAttachmentMeta[] = [];
  let plain: MessageStructureObject | null = null;
  let html: MessageStructureObject | null = null;

  const walk = (node: MessageStructureObject, inRelated: boolean) => {
    const type = lower(node.type);
    if (type.startsWith('multipart/')) {
      for (const child of node.childNodes ?? []) walk(child, inRelated || type === 'multipart/related');
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
    const inline = disposition !== 'attachment' && !!contentId && (inRelated || disposition === 'inline') && type.startsWith('image/');
    attachments.push({
      part: partOf(node),
      filename: filenameOf(node) ?? (type === 'message/rfc822' && node.envelope?.subject ? `${node.envelope.subject}.eml` : null),
      contentType: normalizeContentType(type),
      size: node.size ?? 0,
      inline,
      contentId,
    });
  };
  if (root) walk(root, false);

  const chosen = (plain ?? html) as MessageStructureObject | null;
  return {
    textPart: chosen
      ? { part: partOf(chosen), html: chosen === html && chosen !== plain, encoding: lower(chosen.encoding) || '7bit', charset: chosen.parameters?.charset ?? 'utf-8' }
      : null,
    attachments,
    hasAttachments: attachments.some((a) => !a.inline),
  };
}
