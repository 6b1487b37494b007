import { isPrivateSensitivity } from '../sensitivity';

describe('isPrivateSensitivity', () => {
  it.each<[string | null, boolean]>([
    ['Sensitivity: Private\r\n\r\n', true],
    ['References: <a@x>\r\nSensitivity: private\r\n\r\n', true],
    ['sensitivity:\r\n  Private\r\n\r\n', true],
    ['Sensitivity: Personal\r\n\r\n', false],
    ['Sensitivity: Company-Confidential\r\n\r\n', false],
    ['References: <private@x>\r\n\r\n', false],
    ['X-Sensitivity: Private\r\n\r\n', false],
    ['', false],
    [null, false],
  ])('%j → %p', (headers, expected) => {
    expect(isPrivateSensitivity(headers)).toBe(expected);
    if (headers) expect(isPrivateSensitivity(Buffer.from(headers, 'latin1'))).toBe(expected);
  });
});
