import { hasReplyPrefix, normalizeSubject } from '../normalize-subject';
import { parseMessageIds, referencesFromHeaders, threadKeyOf } from '../thread-key';

describe('normalizeSubject', () => {
  it.each([
    ['Re: Budget 2025', 'budget 2025'],
    ['RE: re: Fwd: Budget 2025', 'budget 2025'],
    ['Fw: Budget 2025', 'budget 2025'],
    ['AW: WG: Budget 2025', 'budget 2025'],
    ['SV: VS: Budget 2025', 'budget 2025'],
    ['Re[2]: Budget 2025', 'budget 2025'],
    ['Re(3): Budget 2025', 'budget 2025'],
    ['RV: RES: ENC: TR: Budget 2025', 'budget 2025'],
    ['回复：Budget 2025', 'budget 2025'],
    ['[team] Re: Budget 2025', 'budget 2025'],
    ['Re: [team] Budget 2025', 'budget 2025'],
    ['  Budget\r\n 2025 ', 'budget 2025'],
    ['Recipe: pancakes', 'recipe: pancakes'],
    ['Area: north', 'area: north'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeSubject(input)).toBe(expected);
  });

  it('null and undefined are empty', () => {
    expect(normalizeSubject(null)).toBe('');
    expect(normalizeSubject(undefined)).toBe('');
  });

  it('tells replies from originals', () => {
    expect(hasReplyPrefix('Re: x')).toBe(true);
    expect(hasReplyPrefix('[list] AW: x')).toBe(true);
    expect(hasReplyPrefix('Recipe: x')).toBe(false);
  });
});

describe('thread keys', () => {
  it('parses Message-IDs out of References, folded over lines', () => {
    const headers = 'References: <a@x>\r\n <b@x>\r\n\t<c@x>\r\nX-Other: <d@x>\r\n\r\n';
    expect(referencesFromHeaders(Buffer.from(headers))).toEqual(['<a@x>', '<b@x>', '<c@x>']);
    expect(parseMessageIds('junk <a@x> more')).toEqual(['<a@x>']);
    expect(referencesFromHeaders(null)).toEqual([]);
  });

  it('a root, its reply and a reply to the reply share the root Message-ID, in any arrival order', () => {
    const root = threadKeyOf({ messageId: '<Root@x>', inReplyTo: null, references: [], subject: 'Plan' });
    const reply = threadKeyOf({
      messageId: '<r1@x>',
      inReplyTo: '<Root@x>',
      references: ['<Root@x>'],
      subject: 'Re: Plan',
    });
    const replyToReply = threadKeyOf({
      messageId: '<r2@x>',
      inReplyTo: '<r1@x>',
      references: ['<Root@x>', '<r1@x>'],
      subject: 'Re: Re: Plan',
    });
    const inReplyToOnly = threadKeyOf({
      messageId: '<r3@x>',
      inReplyTo: '<Root@x>',
      references: [],
      subject: 'Re: Plan',
    });
    expect(new Set([root, reply, replyToReply, inReplyToOnly])).toEqual(new Set(['<root@x>']));
  });

  it('a reply without References or In-Reply-To falls back to its normalised subject', () => {
    expect(threadKeyOf({ messageId: '<m@x>', inReplyTo: null, references: [], subject: 'AW: Plan' })).toBe(
      'subject:plan',
    );
    expect(threadKeyOf({ messageId: null, inReplyTo: null, references: [], subject: 'Plan' })).toBe('subject:plan');
  });

  it('unrelated originals with the same subject stay apart', () => {
    const a = threadKeyOf({ messageId: '<a@x>', inReplyTo: null, references: [], subject: 'Hello' });
    const b = threadKeyOf({ messageId: '<b@x>', inReplyTo: null, references: [], subject: 'Hello' });
    expect(a).not.toBe(b);
  });
});
