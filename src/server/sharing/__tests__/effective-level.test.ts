import type { SharingLevel } from '../../../shared/sharing';
import { effectiveLevel, isSharingLevel } from '../effective-level';

describe('effectiveLevel', () => {
  it.each<[SharingLevel | null, SharingLevel | null, SharingLevel | null, SharingLevel]>([
    // owner, min, max → effective
    ['private', null, null, 'private'],
    ['metadata', null, null, 'metadata'],
    ['subject', null, null, 'subject'],
    ['full', null, null, 'full'],
    [null, null, null, 'private'],
    // a compliance minimum raises owners below it, leaves those above
    ['private', 'subject', null, 'subject'],
    ['metadata', 'subject', null, 'subject'],
    ['full', 'subject', null, 'full'],
    ['private', 'full', null, 'full'],
    // a privacy maximum lowers owners above it, leaves those below
    ['full', null, 'metadata', 'metadata'],
    ['subject', null, 'subject', 'subject'],
    ['metadata', null, 'subject', 'metadata'],
    ['full', null, 'private', 'private'],
    // both: clamped into [min, max]
    ['private', 'metadata', 'subject', 'metadata'],
    ['full', 'metadata', 'subject', 'subject'],
    ['subject', 'metadata', 'full', 'subject'],
    // min above max (a stale pair): the maximum wins, sharing never exceeds it
    ['private', 'full', 'metadata', 'metadata'],
  ])('owner %s, min %s, max %s → %s', (owner, min, max, expected) => {
    expect(effectiveLevel(owner, { min, max })).toBe(expected);
  });

  it('treats an unknown stored value as private', () => {
    expect(effectiveLevel('everyone' as SharingLevel, { min: null, max: null })).toBe('private');
  });

  it.each([
    ['full', true],
    ['private', true],
    ['FULL', false],
    ['', false],
    [null, false],
    [3, false],
  ])('isSharingLevel(%p) → %p', (value, expected) => {
    expect(isSharingLevel(value)).toBe(expected);
  });
});
