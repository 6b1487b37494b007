import { normalizeAddress, normalizeDomain } from '../normalize-address';

describe('normalizeAddress', () => {
  it.each([
    ['Ann@Example.COM', 'ann@example.com', 'example.com'],
    ['  ann@example.com  ', 'ann@example.com', 'example.com'],
    ['<ann@example.com>', 'ann@example.com', 'example.com'],
    ['Ann+News@Example.com', 'ann+news@example.com', 'example.com'],
    ['ann@xn--bcher-kva.example', 'ann@bücher.example', 'bücher.example'],
    ['ann@BÜCHER.example', 'ann@bücher.example', 'bücher.example'],
    ['ann@example.com.', 'ann@example.com', 'example.com'],
    ['"a@b"@example.com', '"a@b"@example.com', 'example.com'],
  ])('%s → %s at %s', (raw, address, domain) => {
    expect(normalizeAddress(raw)).toEqual({ address, domain });
  });

  it.each([[''], ['ann'], ['@example.com'], ['ann@'], ['ann smith@example.com'], [null], [42]])(
    '%p is not an address',
    (raw) => {
      expect(normalizeAddress(raw)).toBeNull();
    },
  );

  it('punycode and Unicode spellings of a domain match alike', () => {
    expect(normalizeDomain('XN--BCHER-KVA.example')).toBe(normalizeDomain('bücher.EXAMPLE'));
    expect(normalizeDomain(' Example.com ')).toBe('example.com');
  });
});
