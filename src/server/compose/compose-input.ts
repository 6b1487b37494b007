import type { MailAddress } from '../../shared/mail-reading-types';
import { ComposeMode, MAX_RECIPIENTS } from '../../shared/mail-sending';
import { invalidInput, MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { parseAddressList, uniqueAddresses } from './addresses';
import { cleanHeaderText } from './header-text';
import type { NewFile } from '../store/outbox-store';

export interface Recipients {
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
}

const FIELD_LABEL = { to: 'To', cc: 'Cc', bcc: 'Bcc' } as const;

/** Bad entries a refusal names one by one. */
const NAMED_BAD_ENTRIES = 10;

/**
 * Parses To/Cc/Bcc, refusing the whole request when any entry is not an address, and naming every bad one. An
 * address given in more than one field keeps its first place (To, then Cc, then Bcc), so nobody gets two copies.
 */
export function parseRecipients(
  input: { to?: unknown; cc?: unknown; bcc?: unknown },
  options: { required: boolean },
): Recipients {
  const parsed = { to: parseAddressList(input.to), cc: parseAddressList(input.cc), bcc: parseAddressList(input.bcc) };
  const bad = (Object.keys(parsed) as Array<keyof typeof parsed>).flatMap((k) =>
    parsed[k].invalid.map((raw) => `"${cleanHeaderText(raw, 100)}" (${FIELD_LABEL[k]})`),
  );
  if (bad.length) {
    // A pasted or generated list can hold thousands: the first few show what is wrong, a count says how much.
    const named = bad.slice(0, NAMED_BAD_ENTRIES).join(', ');
    const more =
      bad.length > NAMED_BAD_ENTRIES ? ` and ${(bad.length - NAMED_BAD_ENTRIES).toLocaleString('en-US')} more` : '';
    throw invalidInput(
      `${bad.length === 1 ? 'This is not a valid email address' : 'These are not valid email addresses'}: ${named}${more}. An address looks like name@example.com.`,
    );
  }
  const to = parsed.to.addresses;
  const cc = uniqueAddresses(
    parsed.cc.addresses,
    to.map((a) => a.address),
  );
  const bcc = uniqueAddresses(
    parsed.bcc.addresses,
    [...to, ...cc].map((a) => a.address),
  );
  const total = to.length + cc.length + bcc.length;
  if (options.required && total === 0) throw invalidInput('Add at least one recipient (To, Cc or Bcc).');
  if (total > MAX_RECIPIENTS)
    throw invalidInput(`A message can have at most ${MAX_RECIPIENTS} recipients; this one has ${total}.`);
  return { to, cc, bcc };
}

export function parseMode(raw: unknown): ComposeMode {
  if (raw === undefined || raw === null || raw === '') return ComposeMode.new;
  if (typeof raw === 'string' && (Object.values(ComposeMode) as string[]).includes(raw)) return raw as ComposeMode;
  throw invalidInput(`mode must be one of: ${Object.values(ComposeMode).join(', ')}.`);
}

export function parseSubject(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalidInput('The subject must be text.');
  if (raw.length > 2000) throw invalidInput('The subject is too long (at most 2,000 characters).');
  return cleanHeaderText(raw);
}

export function parseHtml(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw invalidInput('The body (html) must be text.');
  return raw;
}

/** Optional list of attachment ids (`keepAttachmentIds`, named by `label`), each read as `parseId` reads one. */
export function parseIdList(raw: unknown, label: string): number[] | null {
  if (raw === undefined || raw === null) return null;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((v) => parseId(v, 'attachment', label));
}

/** A file name safe for a MIME parameter and a download: no path, no controls, not empty. */
export function cleanFilename(raw: unknown): string {
  const base =
    String(raw ?? '')
      .split(/[\\/]/)
      .pop() ?? '';
  const clean = cleanHeaderText(base, 255).replace(/^\.+/, '');
  return clean || 'attachment';
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function cleanContentType(raw: unknown): string {
  const value = typeof raw === 'string' ? raw.split(';')[0].trim().toLowerCase() : '';
  return CONTENT_TYPE.test(value) ? value : 'application/octet-stream';
}

/** `attachments: [{ filename, contentType, content: base64 }]` from a JSON body. */
export function parseBase64Attachments(raw: unknown): NewFile[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw))
    throw invalidInput('attachments must be a list of { filename, contentType, content (base64) }.');
  return raw.map((a, i) => {
    const content = a && typeof a === 'object' ? (a as { content?: unknown }).content : undefined;
    if (typeof content !== 'string' || !/^[A-Za-z0-9+/=\s_-]*$/.test(content)) {
      throw invalidInput(`Attachment ${i + 1} has no base64 content.`);
    }
    return {
      filename: cleanFilename((a as { filename?: unknown }).filename),
      contentType: cleanContentType((a as { contentType?: unknown }).contentType),
      content: Buffer.from(content, 'base64'),
    };
  });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The settings' limit on a message's attachments together; 413 with the numbers when over. */
export function checkAttachmentTotal(totalBytes: number, limitMb: number): void {
  const limit = limitMb * 1024 * 1024;
  if (totalBytes <= limit) return;
  throw new MailError(
    MailErrorCode.INVALID_INPUT,
    `The attachments add up to ${mb(totalBytes)}; the limit is ${limitMb} MB. Remove some, or share large files as links.`,
    { status: 413 },
  );
}
