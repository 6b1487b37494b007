/**
 * Whether the header block marks the message private: `Sensitivity: Private` (RFC 2156 §5.3.4, what Outlook sends
 * for its "Private" mark). `Personal` and `Company-Confidential` are other marks and leave the message shareable.
 */
export function isPrivateSensitivity(headers: Buffer | string | null | undefined): boolean {
  if (!headers) return false;
  const text = Buffer.isBuffer(headers) ? headers.toString('latin1') : headers;
  const line = text
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .find((l) => /^sensitivity\s*:/i.test(l));
  return !!line && /^private$/i.test(line.slice(line.indexOf(':') + 1).trim());
}
