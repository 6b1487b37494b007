import { simpleParser } from 'mailparser';
import { buildMime } from '../build-mime';
import { quoteForSending, sanitizeOutgoingHtml } from '../outgoing-html';

describe('buildMime', () => {
  it('keeps Bcc out of the text but in the envelope, and encodes UTF-8 headers (RFC 2047)', async () => {
    const built = await buildMime({
      from: { name: 'Jürgen', address: 'j@contoso.com' },
      to: [{ name: 'Ann', address: 'ann@contoso.com' }],
      cc: [],
      bcc: [{ name: 'Secret', address: 'hidden@fabrikam.com' }],
      subject: 'Grüße 会議',
      html: '<p>Hi</p>',
      text: 'Hi',
      messageId: '<fixed@contoso.com>',
      inReplyTo: '<orig@fabrikam.com>',
      references: ['<root@fabrikam.com>', '<orig@fabrikam.com>'],
      date: new Date('2025-11-21T10:00:00Z'),
      attachments: [{ filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('A') }],
    });
    const text = built.raw.toString('latin1');
    expect(text).not.toMatch(/hidden@fabrikam\.com|^Bcc:/im);
    expect(text).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(built.envelope).toEqual({ from: 'j@contoso.com', to: ['ann@contoso.com', 'hidden@fabrikam.com'] });
    const parsed = await simpleParser(built.raw);
    expect(parsed.subject).toBe('Grüße 会議');
    expect(parsed.messageId).toBe('<fixed@contoso.com>');
    expect(parsed.inReplyTo).toBe('<orig@fabrikam.com>');
    expect(parsed.references).toEqual(['<root@fabrikam.com>', '<orig@fabrikam.com>']);
  });
});

describe('outgoing HTML', () => {
  it('removes what could run or submit, keeps formatting and remote images the user put in', () => {
    const out = sanitizeOutgoingHtml(
      '<p style="color:red" onclick="x()">Hi <b>there</b></p><script>alert(1)</script><form><input></form><img src="https://cdn.example/logo.png"><a href="javascript:alert(1)">x</a><iframe src="https://x"></iframe>',
    );
    expect(out).toBe('<p style="color:red">Hi <b>there</b></p><img src="https://cdn.example/logo.png" /><a>x</a>');
  });

  it('quoted display HTML gets its held-back images back and cid: references for carried parts', () => {
    const display =
      '<p data-remote-style="background:url(https://t.example/bg.png)">Hi</p><img data-remote-src="https://t.example/pic.png"><img src="/api/mailMessages:attachment?filterByTk=7&amp;part=2&amp;inline=1" alt="logo"><img src="/api/mailMessages:attachment?filterByTk=7&amp;part=3&amp;inline=1" alt="gone">';
    const out = quoteForSending(display, (part) => (part === '2' ? 'part-2.abc@mailbridge' : null));
    expect(out).toContain('style="background:url(https://t.example/bg.png)"');
    expect(out).toContain('<img src="https://t.example/pic.png" />');
    expect(out).toContain('<img src="cid:part-2.abc@mailbridge" alt="logo" />');
    expect(out).toContain('<img alt="gone" />');
    expect(out).not.toContain('data-remote');
  });
});
