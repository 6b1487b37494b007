/**
 * One folding for search, used on both sides (what is indexed and what is typed), so `prilohy` finds `přílohy`,
 * `zolw` finds `żółw` and `strasse` finds `Straße`: lower case, compatibility decomposition (NFKD) without the
 * combining marks, and the letters that do not decompose written out as ASCII.
 */

/** Letters NFKD leaves whole (stroked, ligatures, German sharp s). */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŀ: 'l',
  ƒ: 'f',
};

const folded = new Map<string, string>();

/** The folded form of one code point (empty for a combining mark). */
function foldChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : ch;
  let out = folded.get(ch);
  if (out === undefined) {
    out = '';
    for (const part of ch.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')) out += LETTERS[part] ?? part;
    folded.set(ch, out);
  }
  return out;
}

/** Characters folding changes: capitals and everything outside ASCII (whole code points). */
const CHANGED = /[A-Z\P{ASCII}]/gu;

/** The text as search compares it. */
export function fold(text: string): string {
  // Only the characters that change are visited: most of a mail's text is lower-case ASCII.
  return text.replace(CHANGED, foldChar);
}

/** Folded text with, for each of its UTF-16 units, the index of the original character it came from. */
export function foldWithOrigins(text: string): { folded: string; origins: number[]; ends: number[] } {
  let out = '';
  const origins: number[] = [];
  const ends: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    for (let k = 0; k < f.length; k++) {
      origins.push(i);
      ends.push(i + ch.length);
    }
    out += f;
    i += ch.length;
  }
  return { folded: out, origins, ends };
}

const TOKEN = /[\p{L}\p{N}]+/gu;

/** The words of folded text: runs of letters and digits (so `jan.novak@firma.cz` is four words). */
export function tokens(foldedText: string): string[] {
  return foldedText.match(TOKEN) ?? [];
}

/** Words with their position in the folded text. */
export function tokenSpans(foldedText: string): Array<{ token: string; start: number; end: number }> {
  const out: Array<{ token: string; start: number; end: number }> = [];
  for (const m of foldedText.matchAll(TOKEN)) out.push({ token: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** What the index stores for a field: its words, folded, separated by single spaces. */
export function indexText(text: string | null | undefined): string {
  return text ? tokens(fold(text)).join(' ') : '';
}
