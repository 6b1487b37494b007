/** Splitting and checking what the user typed into a recipient field. The server checks again on send. */
const ADDRESS = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

export interface RecipientToken {
  /** As typed (`Ann <ann@x.org>` or `ann@x.org`). */
  text: string;
  address: string;
  valid: boolean;
}

/** One typed entry: `Name <address>` or a bare address. */
export function parseRecipient(raw: string): RecipientToken {
  const text = raw.trim();
  const angle = /<([^>]*)>\s*$/.exec(text);
  const address = (angle ? angle[1] : text).trim();
  return { text, address, valid: ADDRESS.test(address) };
}

/** A pasted or typed list: commas, semicolons and line breaks separate entries (not commas inside quotes). */
export function splitRecipients(raw: string): RecipientToken[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === ',' || ch === ';' || ch === '\n')) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map(parseRecipient);
}
