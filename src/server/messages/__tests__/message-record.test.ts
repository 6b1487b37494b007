import type { FetchMessageObject } from 'imapflow';
import { decodedSize, summarizeStructure } from '../body-structure';
import { decodeCharset, decodeTransfer } from '../decode-part';
import { recordFromFetch } from '../message-record';
import { makeSnippet } from '../snippet';

describe('decodedSize', () => {
  it('estimates the file size of a base64 part within a fraction of a percent, and keeps other sizes', () => {
    for (const bytes of [1, 57, 58, 1000, 300_000, 25 * 1024 * 1024]) {
      const encoded = Buffer.alloc(bytes, 1)
        .toString('base64')
        .replace(/.{1,76}/g, '$&\r\n').length;
      expect(Math.abs(decodedSize(encoded, 'BASE64') - bytes)).toBeLessThanOrEqual(Math.max(3, bytes * 0.001));
    }
    expect(decodedSize(1234, 'quoted-printable')).toBe(1234);
    expect(decodedSize(1234, undefined)).toBe(1234);
    expect(decodedSize(0, 'base64')).toBe(0);
  });
});

describe('summarizeStructure', () => {
  it('a single-part message is part 1 with no attachments', () => {
    expect(
      summarizeStructure({
        type: 'text/plain',
        parameters: { charset: 'iso-8859-1' },
        encoding: 'quoted-printable',
        size: 10,
      }),
    ).toEqual({
      textPart: { part: '1', html: false, encoding: 'quoted-printable', charset: 'iso-8859-1' },
      attachments: [],
      hasAttachments: false,
    });
  });

  it('prefers the plain alternative, lists files, and counts inline cid images as body, not attachments', () => {
    const s = summarizeStructure({
      type: 'multipart/mixed',
      childNodes: [
        {
          part: '1',
          type: 'multipart/related',
          childNodes: [
            {
              part: '1.1',
              type: 'multipart/alternative',
              childNodes: [
                { part: '1.1.1', type: 'text/plain', encoding: 'base64', parameters: { charset: 'utf-8' } },
                { part: '1.1.2', type: 'text/html', encoding: 'quoted-printable', parameters: { charset: 'utf-8' } },
              ],
            },
            { part: '1.2', type: 'image/png', id: '<logo@x>', encoding: 'base64', size: 300, disposition: 'inline' },
          ],
        },
        {
          part: '2',
          type: 'application/pdf',
          encoding: 'base64',
          size: 1200,
          disposition: 'attachment',
          dispositionParameters: { filename: 'report.pdf' },
        },
      ],
    });
    expect(s.textPart).toEqual({ part: '1.1.1', html: false, encoding: 'base64', charset: 'utf-8' });
    expect(s.attachments).toEqual([
      // Base64 parts list the size of their file, not of their encoding.
      { part: '1.2', filename: null, contentType: 'image/png', size: 219, inline: true, contentId: 'logo@x' },
      { part: '2', filename: 'report.pdf', contentType: 'application/pdf', size: 876, inline: false, contentId: null },
    ]);
    expect(s.hasAttachments).toBe(true);
  });

  it('an HTML-only message gives its HTML part for the snippet; a text file attachment is not the body', () => {
    const s = summarizeStructure({
      type: 'multipart/mixed',
      childNodes: [
        { part: '1', type: 'text/html', encoding: '7bit' },
        { part: '2', type: 'text/plain', disposition: 'attachment', dispositionParameters: { filename: 'notes.txt' } },
      ],
    });
    expect(s.textPart).toMatchObject({ part: '1', html: true });
    expect(s.attachments.map((a) => a.filename)).toEqual(['notes.txt']);
  });
});

describe('snippets from a cut-off text part', () => {
  it('decodes base64 and quoted-printable cut anywhere, in the declared charset', () => {
    const text = 'Grüße aus Köln – café';
    const b64 = Buffer.from(Buffer.from(text, 'utf8').toString('base64').slice(0, 22));
    expect(decodeCharset(decodeTransfer(b64, 'base64'), 'utf-8')).toBe('Grüße aus Kö');
    const qp = Buffer.from('Gr=C3=BC=C3=9Fe=\r\n aus K=C3=B6ln =E2');
    expect(decodeCharset(decodeTransfer(qp, 'quoted-printable'), 'utf-8')).toBe('Grüße aus Köln ');
    expect(decodeCharset(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]), 'iso-8859-1')).toBe('Grüße');
    expect(decodeCharset(Buffer.from('plain'), 'x-unknown-charset')).toBe('plain');
  });

  it('makes one clean line: no markup, no quoted lines, no NUL', () => {
    expect(
      makeSnippet(
        '<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>there</b></p><p>2 &lt; 3</p></body></html>',
        true,
      ),
    ).toBe('Hello there 2 < 3');
    expect(makeSnippet('Thanks!\n> old quoted text\n>> older\nBye\u0000', false)).toBe('Thanks! Bye');
    expect(makeSnippet('x'.repeat(500), false)).toHaveLength(200);
  });
});

describe('recordFromFetch', () => {
  it('maps envelope, flags and structure to list columns, cleaning headers for storage', () => {
    const msg = {
      seq: 1,
      uid: 42,
      size: 2048,
      flags: new Set(['\\Seen', '\\Flagged']),
      internalDate: new Date('2024-05-02T10:00:00Z'),
      envelope: {
        date: new Date('2024-05-02T09:59:00Z'),
        subject: 'Re: Plan\r\n\u0000 B',
        messageId: '<m2@x>',
        inReplyTo: '<m1@x>',
        from: [{ name: 'Ann\r\nBcc: evil@x', address: 'Ann@Example.Test' }],
        to: [{ name: '', address: 'bob@example.test' }],
      },
      headers: Buffer.from('References: <m0@x> <m1@x>\r\n\r\n'),
      bodyStructure: { type: 'text/plain', encoding: '7bit' },
    } as unknown as FetchMessageObject;
    const { record, textPart } = recordFromFetch(msg, { accountId: 1, folderId: 2 });
    expect(record).toMatchObject({
      accountId: 1,
      folderId: 2,
      uid: 42,
      messageId: '<m2@x>',
      inReplyTo: '<m1@x>',
      threadKey: '<m0@x>',
      references: '<m0@x> <m1@x>',
      subject: 'Re: Plan  B',
      read: true,
      flagged: true,
      answered: false,
      draft: false,
      from: [{ name: 'Ann Bcc: evil@x', address: 'ann@example.test' }],
      cc: [],
      hasAttachments: false,
      size: 2048,
      date: new Date('2024-05-02T10:00:00Z'),
      sentAt: new Date('2024-05-02T09:59:00Z'),
    });
    expect(record.fromText).toBe('ann bcc: evil@x <ann@example.test>');
    expect(record.addressText).toContain('bob@example.test');
    expect(textPart).toEqual({ part: '1', html: false, encoding: '7bit', charset: 'utf-8' });
  });
});
