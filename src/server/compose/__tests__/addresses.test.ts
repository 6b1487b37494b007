import { isValidAddress, parseAddressList } from '../addresses';
import { parseRecipients } from '../compose-input';

describe('isValidAddress (RFC 5322 addr-spec, RFC 6532 UTF-8)', () => {
  it.each([
    'ann@contoso.com',
    'first.last+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'jörg@bücher.de',
    '用户@例子.广告',
    'x@xn--bcher-kva.de',
  ])('accepts %s', (a) => expect(isValidAddress(a)).toBe(true));

  it.each([
    'plain',
    'bob@',
    '@example.com',
    'a@b',
    'a..b@example.com',
    '.a@example.com',
    'a.@example.com',
    'a b@example.com',
    'a@-example.com',
    'a@example-.com',
    'a@1.2',
    'a@[10.0.0.1]',
    '"quoted"@example.com',
    `${'x'.repeat(65)}@example.com`,
    'a@example.com>',
    'a@exa_mple.com',
  ])('refuses %s', (a) => expect(isValidAddress(a)).toBe(false));
});

describe('parseAddressList', () => {
  it('reads a header-style string, arrays and objects, keeping names and dropping duplicates', () => {
    expect(parseAddressList('"Smith, Ann" <ann@contoso.com>, bob@fabrikam.com, ANN@contoso.com').addresses).toEqual([
      { name: 'Smith, Ann', address: 'ann@contoso.com' },
      { name: '', address: 'bob@fabrikam.com' },
    ]);
    expect(
      parseAddressList(['Bob <bob@fabrikam.com>', { name: 'Cat', address: 'cat@fabrikam.com' }]).addresses,
    ).toEqual([
      { name: 'Bob', address: 'bob@fabrikam.com' },
      { name: 'Cat', address: 'cat@fabrikam.com' },
    ]);
  });

  it('an empty group ("undisclosed-recipients:;") adds nobody', () => {
    expect(parseAddressList('undisclosed-recipients:;')).toEqual({ addresses: [], invalid: [] });
  });

  it('a line break in an entry is a header injection attempt: the entry is refused whole', () => {
    const r = parseAddressList('ann@contoso.com\r\nBcc: spy@evil.example');
    expect(r.addresses).toEqual([]);
    expect(r.invalid).toEqual(['ann@contoso.com Bcc: spy@evil.example']);
  });
});

describe('parseRecipients', () => {
  it('an address keeps its first field only, so nobody gets two copies', () => {
    const r = parseRecipients(
      { to: 'a@x.example', cc: 'A@x.example, b@x.example', bcc: ['b@x.example', 'c@x.example'] },
      { required: true },
    );
    expect([r.to, r.cc, r.bcc].map((l) => l.map((a) => a.address))).toEqual([
      ['a@x.example'],
      ['b@x.example'],
      ['c@x.example'],
    ]);
  });

  it('names every bad entry with its field', () => {
    expect(() => parseRecipients({ to: 'ok@x.example, nope', bcc: 'x@' }, { required: true })).toThrow(
      /"nope" \(To\), "x@" \(Bcc\)/,
    );
  });

  it('names the first ten bad entries of thousands and counts the rest, so the answer stays short', () => {
    const bad = Array.from({ length: 10_000 }, (_, i) => `not-an-address-${i}`);
    let message = '';
    try {
      parseRecipients({ to: bad }, { required: true });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/"not-an-address-9" \(To\) and 9,990 more\./);
    expect(message).not.toContain('not-an-address-10"');
    expect(message.length).toBeLessThan(2000);
  });

  it('requires a recipient unless it is a draft, and caps them at 500', () => {
    expect(() => parseRecipients({}, { required: true })).toThrow(/at least one recipient/);
    expect(parseRecipients({}, { required: false }).to).toEqual([]);
    const many = Array.from({ length: 501 }, (_, i) => `u${i}@x.example`);
    expect(() => parseRecipients({ bcc: many }, { required: true })).toThrow(
      /at most 500 recipients; this one has 501/,
    );
  });
});
