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

function cap(s: string | false | undefined | null): string | null {
  if (!s) return null;
  const clean = cleanText(s);
  return clean.length > MAX_BODY_CHARS ? clean.slice(0, MAX_BODY_CHARS) : clean;
}

/**
 * Parses a message source stream for its text and HTML. Attachments are drained, never buffered: their bytes are
 * fetched part by part from IMAP when someone downloads them. A message mailparser rejects (oversized header,
 * nesting beyond its limit) yields an error text instead of a throw.
 */
export async function parseBody(source: Readable): Promise<ParsedBody> {
  const parser = new MailParser({ skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHtmlLengthToParse: MAX_BODY_CHARS });
  let text: string | null = null;
  let html: string | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('data', (data: { type: string; text?: string; html?: string | false; content?: Readable; release?: () => void }) => {
        if (data.type === 'text') {
          text = cap(data.text);
          html = cap(data.html);
        } else if (data.type === 'attachment' && data.content) {
          data.content.on('end', () => data.release?.());
          data.content.resume();
        }
      });
      parser.once('end', resolve);
      parser.once('error', reject);
      source.once('error', reject);
      source.pipe(parser);
    });
    return { text, html, error: null };
  } catch (err) {
    source.unpipe?.(parser);
    source.resume?.();
    const reason = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : 'unknown error';
    return { text, html, error: `This message could not be read completely (${reason}).` };
  }
}
