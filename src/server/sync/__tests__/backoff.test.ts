import { backoffDelay } from '../backoff';

describe('backoffDelay', () => {
  const fixed = { jitter: 0 };
  it('doubles from 2 s and stops at 5 minutes', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, undefined, fixed))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffDelay(50, undefined, fixed)).toBe(300_000);
  });
  it('waits at least as long as the server asked (Outlook throttling)', () => {
    expect(backoffDelay(1, 92_415, fixed)).toBe(92_415);
  });
  it('spreads retries with jitter but never above the step', () => {
    expect(backoffDelay(3, undefined, { jitter: 0.5, random: () => 0 })).toBe(4000);
    expect(backoffDelay(3, undefined, { jitter: 0.5, random: () => 1 })).toBe(8000);
  });
});
