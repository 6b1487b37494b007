/**
 * Words mail clients put before a subject when replying or forwarding, as Outlook, Thunderbird and the common
 * webmails localise them, lower-case (matched case-insensitively). The one list both the threading (normalised
 * subjects) and the composer (`Re:`/`Fwd:` without stacking) read.
 */
export const SUBJECT_PREFIXES = {
  reply: [
    're', // English, and Outlook in most languages (RE:)
    'aw', // German: Antwort
    'sv', // Swedish, Danish, Norwegian: Svar
    'vs', // Finnish: Vastaus (Danish and Norwegian Outlook use VS: for a forward; counted a reply, as before)
    'antw', // Dutch: Antwoord
    'odp', // Polish: Odpowiedź; Czech: Odpověď
    'r', // Italian Outlook
    'rif', // Italian: Riferimento
    'res', // Portuguese: Resposta
    'ynt', // Turkish: Yanıt
    '回复', // Chinese (Simplified), most webmails
    '答复', // Chinese (Simplified), Outlook
    '回覆', // Chinese (Traditional)
    '返信', // Japanese
  ],
  forward: [
    'fw', // Outlook in most languages (FW:)
    'fwd', // English, most other clients
    'wg', // German: Weitergeleitet
    'vb', // Swedish: Vidarebefordrat
    'vl', // Finnish: Välitetty
    'doorst', // Dutch: Doorgestuurd
    'pd', // Polish: Przekazane dalej
    'př', // Czech: Přeposláno
    'tr', // French: Transféré
    'i', // Italian: Inoltrato
    'rv', // Spanish: Reenviado
    'enc', // Portuguese: Encaminhado
    // Turkish: İletilen. Case-insensitive matching does not fold İ (U+0130): Outlook's `İLT`, its lower-case form
    // (i + combining dot) and the plain `ilt` people type are three spellings.
    'i̇lt',
    'İlt',
    'ilt',
    '转发', // Chinese (Simplified)
    '轉寄', // Chinese (Traditional)
    '転送', // Japanese
  ],
} as const satisfies Record<string, readonly string[]>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One prefix at the start of a subject: a word, an optional counter (`Re[2]:`, `RE(3):`), then an ASCII or
 * full-width colon (`回复：`), with any spaces around. Longer words first, so `fwd` is tried before `fw`.
 */
function prefixPattern(words: readonly string[]): RegExp {
  const alternatives = [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  return new RegExp(`^\\s*(?:${alternatives})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：]\\s*`, 'iu');
}

export const REPLY_PREFIX = prefixPattern(SUBJECT_PREFIXES.reply);
export const FORWARD_PREFIX = prefixPattern(SUBJECT_PREFIXES.forward);
export const ANY_PREFIX = prefixPattern([...SUBJECT_PREFIXES.reply, ...SUBJECT_PREFIXES.forward]);
