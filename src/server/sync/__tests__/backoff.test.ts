import { backoffDelay, recoveryDelay } from '../backoff';

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

describe('recoveryDelay (an account in error tries again by itself)', () => {
  const MIN = 60_000;
  it.each([
    [1, 15 * MIN],
    [2, 30 * MIN],
    [3, 60 * MIN],
    [4, 120 * MIN],
    [5, 240 * MIN],
    [6, 360 * MIN],
    [7, 360 * MIN],
    [500, 360 * MIN],
  ])('after %i failures in a row: %i ms', (failures, ms) => {
    expect(recoveryDelay(failures, { jitter: 0 })).toBe(ms);
  });
  it('never sooner than 80% of the step, so accounts that failed together do not retry together', () => {
    expect(recoveryDelay(1, { random: () => 0 })).toBe(12 * MIN);
    expect(recoveryDelay(1, { random: () => 1 })).toBe(15 * MIN);
  });
  it('a first failure (or a count lost) still waits the first step', () => {
    expect(recoveryDelay(0, { jitter: 0 })).toBe(15 * MIN);
  });
});
