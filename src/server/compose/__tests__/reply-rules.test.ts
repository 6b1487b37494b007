import { ComposeMode } from '../../../shared/mail-sending';
import { normalizeSubject } from '../../messages/normalize-subject';
import { threadKeyOf } from '../../messages/thread-key';
import { replyHeaders, replyReferences, SourceMessage } from '../reply-rules';
import { forwardSubject, replySubject } from '../subject';

const me = 'me@contoso.com';
const ann = { name: 'Ann', address: 'ann@contoso.com' };
const bob = { name: 'Bob', address: 'bob@fabrikam.com' };
const cat = { name: 'Cat', address: 'cat@fabrikam.com' };
const list = { name: 'Team list', address: 'team@lists.contoso.com' };

function source(over: Partial<SourceMessage> = {}): SourceMessage {
  return {
    messageId: '<m3@fabrikam.com>',
    references: ['<m1@contoso.com>', '<m2@fabrikam.com>'],
    subject: 'Plan',
    from: [bob],
    to: [{ name: 'Me', address: me }, ann],
    cc: [cat],
    replyTo: [],
    ...over,
  };
}

describe('reply recipients (RFC 5322 §3.6.3)', () => {
  it('reply goes to From', () => {
    expect(replyHeaders(ComposeMode.reply, source(), [me])).toMatchObject({ to: [bob], cc: [] });
  });

  it('Reply-To wins over From', () => {
    expect(replyHeaders(ComposeMode.reply, source({ replyTo: [list] }), [me]).to).toEqual([list]);
  });

  it('reply all: Reply-To/From plus the original To in To, the original Cc in Cc, without the user', () => {
    const h = replyHeaders(ComposeMode.replyAll, source(), [me]);
    expect(h.to).toEqual([bob, ann]);
    expect(h.cc).toEqual([cat]);
  });

  it('reply all drops every address of the user (any of their mailboxes, any case) and duplicates', () => {
    const h = replyHeaders(
      ComposeMode.replyAll,
      source({
        to: [{ name: 'Me', address: 'ME@Contoso.com' }, ann, bob],
        cc: [
          ann,
          cat,
          { name: 'Me too', address: 'other-me@contoso.com' },
          { name: 'Cat again', address: 'CAT@fabrikam.com' },
        ],
      }),
      [me, 'other-me@contoso.com'],
    );
    expect(h.to).toEqual([bob, ann]);
    expect(h.cc).toEqual([cat]);
  });

  it("answering one's own sent message goes to its recipients, not back to oneself", () => {
    const own = source({ from: [{ name: 'Me', address: me }], to: [bob], cc: [cat] });
    expect(replyHeaders(ComposeMode.reply, own, [me])).toMatchObject({ to: [bob], cc: [] });
    expect(replyHeaders(ComposeMode.replyAll, own, [me])).toMatchObject({ to: [bob], cc: [cat] });
  });

  it('a note to self is answered to oneself rather than to nobody', () => {
    const note = source({ from: [{ name: 'Me', address: me }], to: [{ name: 'Me', address: me }], cc: [] });
    expect(replyHeaders(ComposeMode.replyAll, note, [me]).to.map((a) => a.address)).toEqual([me]);
  });

  it('display names carrying CR/LF from encoded words are flattened', () => {
    const h = replyHeaders(
      ComposeMode.reply,
      source({ from: [{ name: 'Bob\r\nBcc: x@evil.example', address: bob.address }] }),
      [me],
    );
    expect(h.to[0].name).toBe('Bob Bcc: x@evil.example');
  });

  it('forward has no recipients', () => {
    expect(replyHeaders(ComposeMode.forward, source(), [me])).toMatchObject({ to: [], cc: [] });
  });
});

describe('threading headers (RFC 5322 §3.6.4)', () => {
  it('In-Reply-To is the original Message-ID; References its References plus its Message-ID', () => {
    const h = replyHeaders(ComposeMode.replyAll, source(), [me]);
    expect(h.inReplyTo).toBe('<m3@fabrikam.com>');
    expect(h.references).toEqual(['<m1@contoso.com>', '<m2@fabrikam.com>', '<m3@fabrikam.com>']);
  });

  it('the reply lands in the same conversation as the original (same thread key)', () => {
    const original = source();
    const h = replyHeaders(ComposeMode.reply, original, [me]);
    const reply = {
      messageId: '<r@contoso.com>',
      inReplyTo: h.inReplyTo,
      references: h.references,
      subject: h.subject,
    };
    expect(threadKeyOf(reply)).toBe(threadKeyOf({ ...original, inReplyTo: null }));
  });

  it('a forward names its origin in References but answers nobody', () => {
    const h = replyHeaders(ComposeMode.forward, source(), [me]);
    expect(h.inReplyTo).toBeNull();
    expect(h.references[h.references.length - 1]).toBe('<m3@fabrikam.com>');
  });

  it('a very long chain keeps the root and the newest ids', () => {
    const refs = Array.from({ length: 100 }, (_, i) => `<r${i}@x.example>`);
    const out = replyReferences({ messageId: '<last@x.example>', references: refs });
    expect(out).toHaveLength(40);
    expect(out[0]).toBe('<r0@x.example>');
    expect(out[out.length - 1]).toBe('<last@x.example>');
    expect(out[out.length - 2]).toBe('<r99@x.example>');
  });
});

describe('subjects', () => {
  it.each([
    ['Plan', 'Re: Plan', 'Fwd: Plan'],
    ['Re: Plan', 'Re: Plan', 'Fwd: Re: Plan'],
    ['RE: RE: Re: Plan', 'Re: Plan', 'Fwd: RE: RE: Re: Plan'],
    ['Re[2]: Plan', 'Re: Plan', 'Fwd: Re[2]: Plan'],
    ['AW: Plan', 'Re: Plan', 'Fwd: AW: Plan'],
    ['Fwd: Plan', 'Re: Fwd: Plan', 'Fwd: Plan'],
    ['FW: Fwd: Plan', 'Re: FW: Fwd: Plan', 'Fwd: Plan'],
    ['WG: Plan', 'Re: WG: Plan', 'Fwd: Plan'],
    ['回复：Plan', 'Re: Plan', 'Fwd: 回复：Plan'],
    ['', 'Re:', 'Fwd:'],
    ['Line\r\nBcc: x@evil.example', 'Re: Line Bcc: x@evil.example', 'Fwd: Line Bcc: x@evil.example'],
  ])('%j → %j / %j', (original, reply, forward) => {
    expect(replySubject(original)).toBe(reply);
    expect(forwardSubject(original)).toBe(forward);
  });

  it("a reply keeps the conversation's subject key (the thread fallback for clients without References)", () => {
    for (const s of ['Plan', 'Re: Plan', 'AW: Re: Plan', 'Fwd: Plan'])
      expect(normalizeSubject(replySubject(s))).toBe(normalizeSubject(s));
  });
});
