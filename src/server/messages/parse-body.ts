import { MailParser } from 'mailparser';
import type { Readable } from 'node:stream';
import { cleanText } from './snippet';

export interface ParsedBody {
  text: string | null;
  html: string | null;
  /** Why the body could not be read; the list data of the message stays valid. */
  error: string | null;
  /** Decoded bytes of each attachment read, by IMAP part number (`2`, `1.3`). */
  partSizes: Map<string, number>;
}

/** Bodies beyond this are cut: a reader shows them no better, and the cache row stays reasonable. */
const MAX_BODY_CHARS = 2_000_000;
/** Body bytes kept for showing a message mailparser cannot split or read as raw text. */
const RAW_FALLBACK_BYTES = 64 * 1024;

const BROKEN_MULTIPART =
  'Its parts could not be separated (the multipart boundary is missing or never appears), so it is shown as raw text.';

/**
 * Keeps the first bytes after the header block (RFC 5322 §2.1: headers end at the first empty line), however long
 * the header is: a message rejected for a megabyte header line still has a readable body below it.
 */
class RawBodyCapture {
  private inHeader = true;
  /** The end of the header text seen so far, to find an empty line split across chunks. */
  private carry = '';
  private readonly chunks: Buffer[] = [];
  private bytes = 0;

  push(chunk: Buffer): void {
    if (this.bytes >= RAW_FALLBACK_BYTES) return;
    if (this.inHeader) {
      const text = this.carry + chunk.toString('latin1');
      const end = /\r?\n\r?\n/.exec(text);
      if (!end) {
        this.carry = text.slice(-3);
        return;
      }
      this.inHeader = false;
      chunk = Buffer.from(text.slice(end.index + end[0].length), 'latin1');
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).subarray(0, RAW_FALLBACK_BYTES).toString('utf8');
  }
}

function cap(s: string | false | undefined | null): string | null {
  if (!s) return null;
  const clean = cleanText(s);
  return clean.length > MAX_BODY_CHARS ? clean.slice(0, MAX_BODY_CHARS) : clean;
}

function drained(source: Readable): Promise<void> {
  if (source.readableEnded || source.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    source.once('end', resolve);
    source.once('close', resolve);
    source.once('error', () => resolve());
    source.resume();
  });
}

/**
 * Parses a message source stream for its text and HTML. Attachments are drained, never buffered: their bytes are
 * fetched part by part from IMAP when someone downloads them; only their decoded sizes are kept. A message
 * mailparser rejects (oversized header, nesting beyond its limit) or whose multipart parts cannot be found is
 * shown as its raw body text instead, with the reason, as desktop mail clients do.
 */
export async function parseBody(source: Readable): Promise<ParsedBody> {
  const parser = new MailParser({
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: MAX_BODY_CHARS,
    checksumAlgo: false,
  });
  let text: string | null = null;
  let html: string | null = null;
  let multipart = false;
  let parts = 0;
  const partSizes = new Map<string, number>();
  const raw = new RawBodyCapture();
  source.on('data', (chunk: Buffer) => raw.push(chunk));
  const rawFallback = (error: string): ParsedBody | null => {
    const body = cap(raw.text().trim());
    return body ? { text: body, html: null, error, partSizes } : null;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('headers', (headers: Map<string, unknown>) => {
        const type = headers.get('content-type') as { value?: string } | undefined;
        multipart = /^multipart\//i.test(type?.value ?? '');
      });
      parser.on(
        'data',
        (data: {
          type: string;
          text?: string;
          html?: string | false;
          content?: Readable;
          release?: () => void;
          partId?: string | null;
          size?: number;
        }) => {
          if (data.type === 'text') {
            text = cap(data.text);
            html = cap(data.html);
          } else if (data.type === 'attachment' && data.content) {
            parts++;
            data.content.on('end', () => {
              // mailparser counts the decoded bytes as they pass and sets `size` just before the stream ends.
              if (data.partId && typeof data.size === 'number') partSizes.set(data.partId, data.size);
              data.release?.();
            });
            data.content.resume();
          }
        },
      );
      parser.once('end', resolve);
      parser.once('error', reject);
      source.once('error', reject);
      source.pipe(parser);
    });
    if (multipart && text === null && html === null && !parts)
      return rawFallback(BROKEN_MULTIPART) ?? { text, html, error: null, partSizes };
    return { text, html, error: null, partSizes };
  } catch (err) {
    source.unpipe?.(parser);
    source.resume?.();
    const reason = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : 'unknown error';
    const error = `This message could not be read completely (${reason})`;
    if (text === null && html === null) {
      await drained(source);
      const fallback = rawFallback(`${error}, so it is shown as raw text.`);
      if (fallback) return fallback;
    }
    return { text, html, error: `${error}.`, partSizes };
  }
}
