import { MailError, MailErrorCode } from '../../errors/mail-error';
import { parseId } from '../parse-id';

function outcome(raw: unknown): number | string {
  try {
    return parseId(raw, 'message', 'filterByTk');
  } catch (err) {
    if (!MailError.is(err)) throw err;
    return `${err.status} ${err.code}: ${err.message}`;
  }
}

const MISSING = '400 INVALID_INPUT: Say which message: pass its id as filterByTk.';
const MALFORMED = '400 INVALID_INPUT: The message id (filterByTk) must be a whole number from 1 up.';

describe('parseId', () => {
  it.each<[string, unknown, number | string]>([
    ['a number', 42, 42],
    ['digits', '42', 42],
    ['digits with spaces around', ' 42 ', 42],
    ['leading zeros', '007', 7],
    ['the largest 15-digit id', '999999999999999', 999999999999999],
    ['the largest safe number', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ['undefined', undefined, MISSING],
    ['null', null, MISSING],
    ['empty text', '', MISSING],
    ['blank text', '   ', MISSING],
    ['letters', 'abc', MALFORMED],
    ['digits then letters', '12abc', MALFORMED],
    ['negative number', -1, MALFORMED],
    ['negative text', '-1', MALFORMED],
    ['zero', 0, MALFORMED],
    ['zero text', '0', MALFORMED],
    ['fraction', 1.5, MALFORMED],
    ['fraction text', '1.5', MALFORMED],
    ['plus sign', '+1', MALFORMED],
    ['exponent', '1e3', MALFORMED],
    ['hexadecimal', '0x10', MALFORMED],
    ['16 digits', '9007199254740993', MALFORMED],
    ['400 digits', '9'.repeat(400), MALFORMED],
    ['huge number', 1e308, MALFORMED],
    ['above the safe range', Number.MAX_SAFE_INTEGER + 1, MALFORMED],
    ['NaN', NaN, MALFORMED],
    ['Infinity', Infinity, MALFORMED],
    ['Infinity text', 'Infinity', MALFORMED],
    ['boolean', true, MALFORMED],
    ['array', [1, 2], MALFORMED],
    ['one-element array', [1], MALFORMED],
    ['operator object', { $ne: null }, MALFORMED],
    ['SQL', "1' OR '1'='1", MALFORMED],
    ['full-width digits', '１２', MALFORMED],
  ])('%s', (_label, raw, expected) => {
    expect(outcome(raw)).toEqual(expected);
  });

  it('says which thing and field when the caller knows the field', () => {
    expect(() => parseId('x', 'attachment', 'attachmentId')).toThrow(
      'The attachment id (attachmentId) must be a whole number from 1 up.',
    );
    expect(() => parseId('', 'account', 'values.accountId')).toThrow(
      'Say which account: pass its id as values.accountId.',
    );
  });

  it('names only the thing when the field is not known', () => {
    expect(() => parseId('x', 'folder')).toThrow('The folder id must be a whole number from 1 up.');
    expect(() => parseId(undefined, 'folder')).toThrow('Say which folder: pass its id.');
  });

  it('throws the plugin error type with the INVALID_INPUT code', () => {
    expect(() => parseId('abc', 'message')).toThrow(MailError);
    try {
      parseId('abc', 'message');
    } catch (err) {
      expect(MailError.is(err, MailErrorCode.INVALID_INPUT)).toBe(true);
    }
  });
});
