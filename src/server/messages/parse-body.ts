import { MailParser } from 'mailparser';
import type { Readable } from 'node:stream';
import { cleanText } from './snippet';

export interface ParsedBody {
  text: string | null;
  html: string | null;
  /** Why the body could not be read; the list data of the message stays valid. */
  error: string | null;
}

/** Bodies beyond this are cut: a reader shows them no better, and the cache row stays reasonable. */
const MAX_BODY_CHARS = 2_000_000;
/** Source bytes kept for showing a broken multipart as raw text. */
const RAW_FALLBACK_BYTES = 64 * 1024;

const BROKEN_MULTIPART = 'Its parts could not be separated (the multipart boundary is missing or never appears), so it is shown as raw text.';

/** The text after the header block (RFC 5322 §2.1: headers end at the first empty line). */
function rawBodyText(head: Buffer): string {
  const source = head.toString('utf8');
  const start = source.search(/\r?\n\r?\n/);
  return start < 0 ? '' : source.slice(start).replace(/^\r?\n\r?\n/, '');
}

function cap(s: string | false | undefined | null): string | null {
  if (!s) return null;
  const clean = cleanText(s);
  return clean.length > MAX_BODY_CHARS ? clean.slice(0, MAX_BODY_CHARS) : clean;
}

/**
 * Parses a message source stream for its text and HTML. Attachments are drained, never buffered: their bytes are
 * fetched part by part from IMAP when someone downloads them. A message mailparser rejects (oversized header,
 * nesting beyond its limit) yields an error text instead of a throw. A multipart whose parts cannot be found gives
 * mailparser nothing to report: its raw text is shown instead, with the reason, as desktop mail clients do.
 */
export async function parseBody(source: Readable): Promise<ParsedBody> {
  const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: MAX_BODY_CHARS });
  let text: string | null = null;
  let html: string | null = null;
  let multipart = false;
  let parts = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  source.on('data', (chunk: Buffer) => {
    if (headBytes >= RAW_FALLBACK_BYTES) return;
    head.push(chunk);
    headBytes += chunk.length;
  });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('headers', (headers: Map<string, unknown>) => {
        const type = headers.get('content-type') as { value?: string } | undefined;
        multipart = /^multipart\//i.test(type?.value ?? '');
      });
      parser.on('data', (data: { type: string; text?: string; html?: string | false; content?: Readable; release?: () => void }) => {
        if (data.type === 'text') {
          text = cap(data.text);
          html = cap(data.html);
        } else if (data.type === 'attachment' && data.content) {
          parts++;
          data.content.on('end', () => data.release?.());
          data.content.resume();
        }
      });
      parser.once('end', resolve);
      parser.once('error', reject);
      source.once('error', reject);
      source.pipe(parser);
    });
    if (multipart && text === null && html === null && !parts) {
      const raw = cap(rawBodyText(Buffer.concat(head).subarray(0, RAW_FALLBACK_BYTES)).trim());
      if (raw) return { text: raw, html: null, error: BROKEN_MULTIPART };
    }
    return { text, html, error: null };
  } catch (err) {
    source.unpipe?.(parser);
    source.resume?.();
    const reason = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : 'unknown error';
    return { text, html, error: `This message could not be read completely (${reason}).` };
  }
}
