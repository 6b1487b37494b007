import { MailError } from '../../errors/mail-error';
import { bool, date, dateRange, int, text } from '../parse-params';

function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (err) {
    if (!MailError.is(err)) throw err;
    return `${err.status} ${err.code}: ${err.message}`;
  }
}

describe('request parameters', () => {
  it.each<[unknown, unknown]>([
    [undefined, undefined],
    ['', undefined],
    ['true', true],
    [1, true],
    ['0', false],
    [false, false],
    ['maybe', '400 INVALID_INPUT: unread must be true or false.'],
  ])('bool %j → %j', (raw, expected) => {
    expect(outcome(() => bool(raw, 'unread'))).toEqual(expected);
  });

  it.each<[unknown, unknown]>([
    [undefined, 50],
    ['20', 20],
    [200, 200],
    [0, '400 INVALID_INPUT: pageSize must be a whole number from 1 to 200.'],
    ['2.5', '400 INVALID_INPUT: pageSize must be a whole number from 1 to 200.'],
    [201, '400 INVALID_INPUT: pageSize must be a whole number from 1 to 200.'],
  ])('int %j → %j', (raw, expected) => {
    expect(outcome(() => int(raw, 'pageSize', 1, 200, 50))).toEqual(expected);
  });

  it.each<[unknown, unknown]>([
    [null, undefined],
    ['2024-05-01', new Date('2024-05-01')],
    ['2024-05-01T12:00:00Z', new Date('2024-05-01T12:00:00Z')],
    ['yesterday', '400 INVALID_INPUT: dateFrom must be a date such as 2024-05-01 or 2024-05-01T12:00:00Z.'],
    [1714521600000, '400 INVALID_INPUT: dateFrom must be a date such as 2024-05-01 or 2024-05-01T12:00:00Z.'],
  ])('date %j → %j', (raw, expected) => {
    expect(outcome(() => date(raw, 'dateFrom'))).toEqual(expected);
  });

  it.each<[unknown, unknown, unknown]>([
    [undefined, undefined, { dateFrom: undefined, dateTo: undefined }],
    ['2024-05-01', undefined, { dateFrom: new Date('2024-05-01'), dateTo: undefined }],
    ['2024-05-01', '2024-05-01', { dateFrom: new Date('2024-05-01'), dateTo: new Date('2024-05-01') }],
    ['2024-05-02', '2024-05-01', '400 INVALID_INPUT: dateFrom must not be after dateTo.'],
    ['2024-05-01', 'soon', '400 INVALID_INPUT: dateTo must be a date such as 2024-05-01 or 2024-05-01T12:00:00Z.'],
  ])('dateRange %j to %j → %j', (from, to, expected) => {
    expect(outcome(() => dateRange(from, to))).toEqual(expected);
  });

  it.each<[unknown, unknown]>([
    [undefined, undefined],
    ['  ', undefined],
    [' ann\u0000 ', 'ann'],
    ['x'.repeat(10), 'x'.repeat(10)],
    ['x'.repeat(11), '400 INVALID_INPUT: q can be at most 10 characters.'],
    [['ann'], '400 INVALID_INPUT: q must be text.'],
  ])('text %j → %j', (raw, expected) => {
    expect(outcome(() => text(raw, 'q', 10))).toEqual(expected);
  });
});
