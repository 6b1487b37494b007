import { FORWARD_PREFIX, REPLY_PREFIX } from '../messages/subject-prefixes';
import { cleanHeaderText } from './header-text';

function strip(subject: string, prefix: RegExp): string {
  let s = subject;
  for (let i = 0; i < 50; i++) {
    const next = s.replace(prefix, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

/**
 * `Re: <subject>` with every reply prefix already there removed, so replies never stack `Re: Re:`. Forward prefixes
 * stay: a reply to a forward reads `Re: Fwd: …`, as every client shows it.
 */
export function replySubject(original: string | null | undefined): string {
  const base = strip(cleanHeaderText(original), REPLY_PREFIX);
  return base ? `Re: ${base}` : 'Re:';
}

/** `Fwd: <subject>`, without stacking forward prefixes. */
export function forwardSubject(original: string | null | undefined): string {
  const base = strip(cleanHeaderText(original), FORWARD_PREFIX);
  return base ? `Fwd: ${base}` : 'Fwd:';
}
