/**
 * Reply and forward prefixes mail clients add, in the languages Outlook and Thunderbird localise them to:
 * Re/Fw/Fwd (English), AW/WG (German), SV/VS (Nordic), RE/TR (French), RIF/I (Italian), RES/ENC (Portuguese),
 * RV (Spanish), Antw/Doorst (Dutch), ODP/PD (Polish), YNT/İLT (Turkish), 回复/转发 (Chinese), 返信/転送 (Japanese).
 * An optional counter (`Re[2]:`, `Re(2):`) and full-width colons are accepted.
 */
const PREFIX = /^\s*(?:re|fwd?|aw|wg|sv|vs|tr|rif|i|res|enc|rv|antw|doorst|odp|pd|ynt|ilt|vb|回复|回覆|转发|轉寄|返信|転送)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;
/** A mailing-list or ticket tag such as `[team]`, which lists put in front of (or after) reply prefixes. */
const TAG = /^\s*\[[^\]]{1,40}\]\s*/u;

/** Subject without reply/forward prefixes and leading `[tags]`, whitespace collapsed, lower-cased. */
export function normalizeSubject(subject: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex -- NUL survives decoding and PostgreSQL text rejects it.
  let s = (subject ?? '').replace(/[\r\n\t\u0000]+/g, ' ').trim();
  for (let i = 0; i < 50; i++) {
    const next = s.replace(PREFIX, '').replace(TAG, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether the subject says it answers or forwards another message. */
export function hasReplyPrefix(subject: string | null | undefined): boolean {
  return PREFIX.test((subject ?? '').replace(TAG, ''));
}
