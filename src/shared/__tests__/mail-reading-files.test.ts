import { attachmentFileName, cleanFileName, extensionFor, normalizeContentType } from '../mail-reading-files';

describe('attachment names and types', () => {
  it('drops bidi overrides, isolates, zero-width and control characters, so the real extension shows', () => {
    expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanFileName('photo\u2067\u200Bgpj.scr\u2069')).toBe('photogpj.scr');
    expect(cleanFileName('a\u0000b\r\nc\u2028.txt')).toBe('abc.txt');
    expect(cleanFileName('Prices 2024 «final».pdf')).toBe('Prices 2024 «final».pdf');
    expect(cleanFileName('\u202E\u200B ')).toBeNull();
    expect(cleanFileName(null)).toBeNull();
  });

  it('names an unnamed attachment after its part, with the extension of its type', () => {
    expect(attachmentFileName({ part: '2', filename: null, contentType: 'application/pdf' })).toBe('attachment-2.pdf');
    expect(attachmentFileName({ part: '1.3', filename: null, contentType: 'text/calendar' })).toBe(
      'attachment-1.3.ics',
    );
    expect(attachmentFileName({ part: '3', filename: '', contentType: 'application/x-unknown' })).toBe(
      'attachment-3.bin',
    );
    expect(attachmentFileName({ part: '2', filename: 'invoice\u202Efdp.exe', contentType: 'application/pdf' })).toBe(
      'invoicefdp.exe',
    );
  });

  it('keeps only content types a header can carry', () => {
    expect(normalizeContentType(' Application/PDF ')).toBe('application/pdf');
    expect(normalizeContentType('application/pdf\u20ac')).toBe('application/octet-stream');
    expect(normalizeContentType('application/pd\u0001f')).toBe('application/octet-stream');
    expect(normalizeContentType('/')).toBe('application/octet-stream');
    expect(normalizeContentType(undefined)).toBe('application/octet-stream');
    expect(extensionFor('IMAGE/JPEG')).toBe('jpg');
  });
});
