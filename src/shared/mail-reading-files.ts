/** Attachment names and types as both halves show them: what the list says is what the download is called. */
import type { MailAttachmentMeta } from './mail-reading-types';

/**
 * Characters that change how a name reads without being seen: controls, format characters (the bidi overrides and
 * isolates that make `invoice<U+202E>fdp.exe` display as `invoiceexe.pdf`, zero-width joiners and marks) and line
 * or paragraph separators. Unicode TR #36 §2.3 and TR #9 §2.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** RFC 2045 §5.1: `type/subtype`, both tokens (no controls, spaces or tspecials). */
const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** Extensions of the types mail carries most; anything else saves as `.bin`. */
const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/gzip': 'gz',
  'application/json': 'json',
  'application/xml': 'xml',
  'application/rtf': 'rtf',
  'application/ics': 'ics',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.ms-outlook': 'msg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/pkcs7-signature': 'p7s',
  'application/x-pkcs7-signature': 'p7s',
  'application/pgp-signature': 'asc',
  'application/pgp-encrypted': 'pgp',
  'message/rfc822': 'eml',
  'message/delivery-status': 'txt',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/xml': 'xml',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
  'image/tiff': 'tif',
  'image/svg+xml': 'svg',
  'image/heic': 'heic',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'video/mp4': 'mp4',
};

/** A file name without anything that hides or reorders its characters, or null when nothing is left. */
export function cleanFileName(name: string | null | undefined): string | null {
  const clean = (name ?? '').replace(INVISIBLE, '').trim();
  return clean || null;
}

/** A content type an HTTP header and a browser can carry; a malformed one is plain bytes. */
export function normalizeContentType(value: string | null | undefined): string {
  const type = (value ?? '').trim().toLowerCase();
  return CONTENT_TYPE.test(type) ? type : DEFAULT_CONTENT_TYPE;
}

export function extensionFor(contentType: string): string {
  return EXTENSIONS[normalizeContentType(contentType)] ?? 'bin';
}

/** The name an attachment is listed and saved under: its own, cleaned, or `attachment-<part>.<ext>` from its type. */
export function attachmentFileName(meta: Pick<MailAttachmentMeta, 'part' | 'filename' | 'contentType'>): string {
  return cleanFileName(meta.filename) ?? `attachment-${meta.part}.${extensionFor(meta.contentType)}`;
}
