import { ListedAttachment, pickAttachments } from '../attachment-patterns';

const list: ListedAttachment[] = [
  { part: '2', filename: 'Invoice-4711.PDF', contentType: 'application/pdf', size: 10 },
  { part: '3', filename: 'photo.jpg', contentType: 'image/jpeg', size: 20 },
  { part: '4', filename: null, contentType: 'text/calendar', size: 30 },
  { part: '5', filename: 'a+b (1).txt', contentType: 'text/plain', size: 40 },
];
const parts = (options: { filename?: unknown; contentType?: unknown }) =>
  pickAttachments(list, options).map((a) => a.part);

describe('which attachments "Save email attachments" takes', () => {
  it.each<[{ filename?: unknown; contentType?: unknown }, string[]]>([
    [{}, ['2', '3', '4', '5']],
    [{ filename: '', contentType: ' , ' }, ['2', '3', '4', '5']],
    [{ filename: '*.pdf' }, ['2']],
    [{ filename: 'invoice-*' }, ['2']],
    [{ filename: '*.pdf, *.JPG' }, ['2', '3']],
    [{ filename: 'photo.jp?' }, ['3']],
    [{ filename: 'photo' }, []],
    [{ filename: 'a+b (1).txt' }, ['5']],
    [{ filename: '*' }, ['2', '3', '4', '5']],
    [{ contentType: 'image/*' }, ['3']],
    [{ contentType: 'application/pdf, text/*' }, ['2', '4', '5']],
    [{ filename: '*.pdf', contentType: 'image/*' }, []],
    [{ filename: 42 }, ['2', '3', '4', '5']],
  ])('%j → %j', (options, expected) => {
    expect(parts(options)).toEqual(expected);
  });
});
