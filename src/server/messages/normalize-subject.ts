import { ANY_PREFIX } from './subject-prefixes';

/** A mailing-list or ticket tag such as `[team]`, which lists put in front of (or after) reply prefixes. */
const TAG = /^\s*\[[^\]]{1,40}\]\s*/u;

/** Subject without reply/forward prefixes and leading `[tags]`, whitespace collapsed, lower-cased. */
export function normalizeSubject(subject: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex -- NUL survives decoding and PostgreSQL text rejects it.
  let s = (subject ?? '').replace(/[\r\n\t\u0000]+/g, ' ').trim();
  for (let i = 0; i < 50; i++) {
    const next = s.replace(ANY_PREFIX, '').replace(TAG, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether the subject says it answers or forwards another message. */
export function hasReplyPrefix(subject: string | null | undefined): boolean {
  return ANY_PREFIX.test((subject ?? '').replace(TAG, ''));
}
