import sanitizeHtml from 'sanitize-html';

export const SNIPPET_LENGTH = 200;
/** Bytes of the text part fetched for a snippet: enough for 200 characters after quoting, markup and encoding. */
export const SNIPPET_FETCH_BYTES = 4096;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[body.toLowerCase()] ?? all;
  });
}

/** Visible text of an HTML fragment: no markup, no style or script content. */
export function htmlToPlain(html: string): string {
  const stripped = sanitizeHtml(html.replace(/<(br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]*>/gi, '\n$&'), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head', 'template'],
  });
  return decodeEntities(stripped);
}

/** One line of preview text: quoted lines and the cut-off end dropped, whitespace collapsed, no NUL. */
export function makeSnippet(text: string, isHtml: boolean): string {
  const plain = isHtml ? htmlToPlain(text) : text;
  const lines = plain.split(/\r?\n/).filter((l) => !/^\s*>/.test(l));
  const oneLine = cleanText(lines.join(' ')).replace(/\s+/g, ' ').trim();
  return oneLine.length > SNIPPET_LENGTH ? `${oneLine.slice(0, SNIPPET_LENGTH - 1).trimEnd()}…` : oneLine;
}

/** PostgreSQL text rejects NUL bytes, and mail can carry them (and C0 controls) in any header or body. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/** A header value safe to store and to reuse in a reply: no line breaks, no controls. */
export function cleanHeader(s: string | null | undefined): string {
  return cleanText((s ?? '').replace(/[\r\n]+/g, ' ')).trim();
}
