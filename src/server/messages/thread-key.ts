import { hasReplyPrefix, normalizeSubject } from './normalize-subject';

/** Message-IDs (`<…>`) in a References or In-Reply-To value, in order (RFC 5322 §3.6.4). */
export function parseMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]{1,500})>/g)) out.push(`<${m[1]}>`);
  return out;
}

/** The raw `References:` value from a fetched header block (folded lines joined, RFC 5322 §2.2.3). */
export function referencesFromHeaders(headers: Buffer | string | null | undefined): string[] {
  if (!headers) return [];
  const text = Buffer.isBuffer(headers) ? headers.toString('latin1') : headers;
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => /^references\s*:/i.test(l));
  return line ? parseMessageIds(line.slice(line.indexOf(':') + 1)) : [];
}

export interface ThreadInput {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
}

export const SUBJECT_KEY_PREFIX = 'subject:';

/**
 * The conversation a message belongs to: the first Message-ID of its References (the thread root, RFC 5322
 * §3.6.4), else the message it replies to, else itself. Messages that look like replies but carry neither header
 * (some mobile and web clients) fall back to their normalised subject; the sync links those to a stored thread
 * with the same subject when there is one.
 */
export function threadKeyOf(m: ThreadInput): string {
  const root = m.references[0] ?? parseMessageIds(m.inReplyTo)[0];
  if (root) return root.toLowerCase();
  if (hasReplyPrefix(m.subject) || !m.messageId) return subjectKey(m.subject);
  return m.messageId.toLowerCase();
}

export function subjectKey(subject: string | null): string {
  return `${SUBJECT_KEY_PREFIX}${normalizeSubject(subject)}`;
}

/** Keys are indexed columns: cap their length. */
export function clampKey(key: string): string {
  return key.length > 250 ? key.slice(0, 250) : key;
}
