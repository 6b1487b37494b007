/**
 * Decodes the first bytes of a body part, fetched with a byte limit for snippets: the cut can fall inside a
 * base64 quantum, a quoted-printable escape or a multi-byte character, and none of those may break the result.
 */

function decodeBase64Prefix(buf: Buffer): Buffer {
  const clean = buf.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
  return Buffer.from(clean.slice(0, clean.length - (clean.length % 4)), 'base64');
}

function decodeQuotedPrintablePrefix(buf: Buffer): Buffer {
  // RFC 2045 §6.7: "=" + CRLF is a soft line break; "=XX" a byte. Drop an escape cut off at the end.
  const text = buf
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=[0-9A-Fa-f]?$/, '');
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(c & 0xff);
    }
  }
  return Buffer.from(out);
}

export function decodeTransfer(buf: Buffer, encoding: string): Buffer {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return decodeBase64Prefix(buf);
    case 'quoted-printable':
      return decodeQuotedPrintablePrefix(buf);
    default:
      return buf;
  }
}

/** Bytes in a declared charset → text. Unknown charsets read as UTF-8; a character cut at the end is dropped. */
export function decodeCharset(buf: Buffer, charset: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset.trim().toLowerCase() || 'utf-8');
  } catch {
    // RangeError for a label WHATWG does not know.
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(buf).replace(/\uFFFD+$/, '');
}
