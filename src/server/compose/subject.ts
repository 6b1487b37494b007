import { cleanHeaderText } from './header-text';

/**
 * Prefixes that mean "reply" and "forward" in the languages Outlook and Thunderbird localise them to, with an
 * optional counter (`Re[2]:`, `RE(3):`) and ASCII or full-width colon. Kept apart so a reply to a forward stays
 * `Re: Fwd: …` (what every client shows), while `Re: Re: …` collapses to one `Re:`.
 */
const REPLY = /^\s*(?:re|aw|sv|antw|odp|ynt|vs|rif|res|回复|回覆|返信)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;
const FORWARD = /^\s*(?:fwd?|wg|tr|doorst|pd|i̇lt|ilt|enc|rv|i|转发|轉寄|転送)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;

function strip(subject: string, prefix: RegExp): string {
  let s = subject;
  for (let i = 0; i < 50; i++) {
    const next = s.replace(prefix, '');
    if (next === s) break;
    s = next;
  }
  return s;
}

/** `Re: <subject>` with every reply prefix already there removed, so replies never stack `Re: Re:`. */
export function replySubject(original: string | null | undefined): string {
  const base = strip(cleanHeaderText(original), REPLY);
  return base ? `Re: ${base}` : 'Re:';
}

/** `Fwd: <subject>`, without stacking forward prefixes. */
export function forwardSubject(original: string | null | undefined): string {
  const base = strip(cleanHeaderText(original), FORWARD);
  return base ? `Fwd: ${base}` : 'Fwd:';
}
