import { forwardSubject, replySubject } from '../../compose/subject';
import { hasReplyPrefix, normalizeSubject } from '../normalize-subject';
import { ANY_PREFIX, FORWARD_PREFIX, REPLY_PREFIX, SUBJECT_PREFIXES } from '../subject-prefixes';

/** [who writes it, the prefix as that client writes it, reply or forward] */
const WRITTEN: Array<[string, string, 'reply' | 'forward']> = [
  // The languages of the plugin's locales: en, zh, cs, pl.
  ['English', 'Re:', 'reply'],
  ['English', 'Fwd:', 'forward'],
  ['English, Outlook', 'RE:', 'reply'],
  ['English, Outlook', 'FW:', 'forward'],
  ['Chinese (Simplified), Outlook', '答复:', 'reply'],
  ['Chinese (Simplified), Outlook, full-width colon', '答复：', 'reply'],
  ['Chinese (Simplified)', '回复:', 'reply'],
  ['Chinese (Simplified), full-width colon', '回复：', 'reply'],
  ['Chinese (Simplified)', '转发:', 'forward'],
  ['Chinese (Simplified), full-width colon', '转发：', 'forward'],
  ['Chinese (Traditional)', '回覆:', 'reply'],
  ['Chinese (Traditional)', '轉寄:', 'forward'],
  ['Czech', 'Odp:', 'reply'],
  ['Czech, Outlook', 'PŘ:', 'forward'],
  ['Czech', 'Př:', 'forward'],
  ['Polish', 'Odp:', 'reply'],
  ['Polish, Outlook', 'ODP:', 'reply'],
  ['Polish', 'PD:', 'forward'],
  // Outlook's other localised prefixes.
  ['German', 'AW:', 'reply'],
  ['German', 'WG:', 'forward'],
  ['Swedish', 'SV:', 'reply'],
  ['Swedish', 'VB:', 'forward'],
  ['Finnish', 'VS:', 'reply'],
  ['Finnish', 'VL:', 'forward'],
  ['Dutch', 'Antw:', 'reply'],
  ['Dutch', 'Doorst:', 'forward'],
  ['French', 'TR:', 'forward'],
  ['Spanish', 'RV:', 'forward'],
  ['Italian', 'R:', 'reply'],
  ['Italian', 'RIF:', 'reply'],
  ['Italian', 'I:', 'forward'],
  ['Portuguese', 'RES:', 'reply'],
  ['Portuguese', 'ENC:', 'forward'],
  ['Turkish', 'YNT:', 'reply'],
  ['Turkish, Outlook (İ, U+0130)', 'İLT:', 'forward'],
  ['Turkish, lower-cased (i + combining dot)', 'i̇lt:', 'forward'],
  ['Turkish, typed without the dot', 'ILT:', 'forward'],
  ['Japanese', '返信:', 'reply'],
  ['Japanese', '転送:', 'forward'],
  // Counters and spacing.
  ['counter in brackets', 'Re[2]:', 'reply'],
  ['counter in parentheses', 'RE(3):', 'reply'],
  ['space before the colon', 'Re :', 'reply'],
  ['counter on a forward', 'FW[2]:', 'forward'],
];

describe('one prefix table for threading and composing', () => {
  it.each(WRITTEN)('%s %s is a %s prefix', (_who, prefix, kind) => {
    const subject = `${prefix} Quarterly report`;
    expect(ANY_PREFIX.test(subject)).toBe(true);
    expect(REPLY_PREFIX.test(subject)).toBe(kind === 'reply');
    expect(FORWARD_PREFIX.test(subject)).toBe(kind === 'forward');
    expect(normalizeSubject(subject)).toBe('quarterly report');
    expect(hasReplyPrefix(subject)).toBe(true);
    if (kind === 'reply') {
      expect(replySubject(subject)).toBe('Re: Quarterly report');
      expect(forwardSubject(subject)).toBe(`Fwd: ${subject}`);
    } else {
      expect(forwardSubject(subject)).toBe('Fwd: Quarterly report');
      expect(replySubject(subject)).toBe(`Re: ${subject}`);
    }
  });

  it.each([
    ['RE: RE: RE: Plan', 'Re: Plan', 'Fwd: RE: RE: RE: Plan', 'plan'],
    ['Re: Re[2]: AW: Plan', 'Re: Plan', 'Fwd: Re: Re[2]: AW: Plan', 'plan'],
    ['FW: Fwd: WG: Plan', 'Re: FW: Fwd: WG: Plan', 'Fwd: Plan', 'plan'],
    ['RE: FW: Plan', 'Re: FW: Plan', 'Fwd: RE: FW: Plan', 'plan'],
    ['答复: 转发: Plan', 'Re: 转发: Plan', 'Fwd: 答复: 转发: Plan', 'plan'],
    ['Odp: PD: Odp: Plan', 'Re: PD: Odp: Plan', 'Fwd: Odp: PD: Odp: Plan', 'plan'],
    ['回复：回复：Plan', 'Re: Plan', 'Fwd: 回复：回复：Plan', 'plan'],
  ])('chain %j: reply %j, forward %j, thread subject %j', (subject, reply, forward, normalized) => {
    expect(replySubject(subject)).toBe(reply);
    expect(forwardSubject(subject)).toBe(forward);
    expect(normalizeSubject(subject)).toBe(normalized);
  });

  it.each([
    'Recipe: pancakes',
    'Area: north',
    'Review: Q3',
    'Trip: Paris',
    'Reply needed',
    'Re-election results',
    'In: the office',
    'PDF: attached',
    'Fwiw: a thought',
    'Odpověď k návrhu',
    '回复邮件',
    'RE',
  ])('%j carries no prefix', (subject) => {
    expect(ANY_PREFIX.test(subject)).toBe(false);
    expect(hasReplyPrefix(subject)).toBe(false);
    expect(replySubject(subject)).toBe(`Re: ${subject}`);
    expect(forwardSubject(subject)).toBe(`Fwd: ${subject}`);
  });

  it('every word of the table is matched in upper, lower and title case', () => {
    for (const word of [...SUBJECT_PREFIXES.reply, ...SUBJECT_PREFIXES.forward]) {
      for (const spelling of [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1)]) {
        expect([spelling, ANY_PREFIX.test(`${spelling}: x`)]).toEqual([spelling, true]);
      }
    }
  });

  it('no word is both a reply and a forward prefix', () => {
    const reply = new Set<string>(SUBJECT_PREFIXES.reply);
    expect(SUBJECT_PREFIXES.forward.filter((w) => reply.has(w))).toEqual([]);
  });
});
