import { decideFolderSync, FolderCursor, FolderStatus, windowStartFor } from '../sync-decision';

const window = new Date('2024-05-01T00:00:00Z');
const synced: FolderCursor = {
  uidValidity: '1700000000',
  uidNext: 101,
  highestModseq: '500',
  windowStart: window,
  messages: 100,
};
const same: FolderStatus = { uidValidity: 1700000000n, uidNext: 101, messages: 100, highestModseq: 500n };

describe('decideFolderSync', () => {
  it.each<[string, Partial<FolderCursor>, Partial<FolderStatus>, boolean, Date, ReturnType<typeof decideFolderSync>]>([
    ['never synced → full', { uidValidity: null, uidNext: null }, {}, true, window, { action: 'full' }],
    [
      'interrupted first sync (no cursor saved) → full again',
      { uidValidity: null },
      {},
      false,
      window,
      { action: 'full' },
    ],
    [
      'UIDVALIDITY changed → rebuild',
      {},
      { uidValidity: 1800000000n },
      true,
      window,
      { action: 'rebuild', reason: 'uidValidity' },
    ],
    [
      'UIDNEXT went back under the same UIDVALIDITY → rebuild',
      {},
      { uidNext: 90 },
      true,
      window,
      { action: 'rebuild', reason: 'uidNextWentBack' },
    ],
    ['CONDSTORE, nothing changed → skip', {}, {}, true, window, { action: 'skip' }],
    [
      'CONDSTORE, new mail → new + expunge check, no flags',
      {},
      { uidNext: 105, messages: 104 },
      true,
      window,
      { action: 'incremental', newMessages: true, flags: 'none', expunges: true, backfill: false },
    ],
    [
      'CONDSTORE, flags changed elsewhere → changedSince only',
      {},
      { highestModseq: 510n },
      true,
      window,
      { action: 'incremental', newMessages: false, flags: 'changedSince', expunges: false, backfill: false },
    ],
    [
      'CONDSTORE, a message expunged → expunge check',
      {},
      { messages: 99, highestModseq: 501n },
      true,
      window,
      { action: 'incremental', newMessages: false, flags: 'changedSince', expunges: true, backfill: false },
    ],
    [
      'no CONDSTORE (Outlook), nothing visible changed → still a flags scan',
      { highestModseq: null },
      { highestModseq: undefined },
      false,
      window,
      { action: 'incremental', newMessages: false, flags: 'scan', expunges: true, backfill: false },
    ],
    [
      'server offers CONDSTORE but the cursor has no modseq yet → scan once',
      { highestModseq: null },
      {},
      true,
      window,
      { action: 'incremental', newMessages: false, flags: 'scan', expunges: true, backfill: false },
    ],
    [
      'window extended by "sync older mail" → backfill',
      {},
      {},
      true,
      new Date('2024-03-01T00:00:00Z'),
      { action: 'incremental', newMessages: false, flags: 'none', expunges: false, backfill: true },
    ],
    [
      'window moved forward (time passed) → no backfill',
      {},
      {},
      true,
      new Date('2024-06-01T00:00:00Z'),
      { action: 'skip' },
    ],
    [
      'UIDVALIDITY given as number or string compares by value',
      { uidValidity: '42' },
      { uidValidity: '42' },
      true,
      window,
      { action: 'skip' },
    ],
  ])('%s', (_name, cursor, status, condstore, windowStart, expected) => {
    expect(
      decideFolderSync({ cursor: { ...synced, ...cursor }, status: { ...same, ...status }, condstore, windowStart }),
    ).toEqual(expected);
  });
});

describe('windowStartFor', () => {
  it('counts whole days back from the current UTC date', () => {
    expect(windowStartFor(new Date('2024-06-15T18:30:00Z'), 30).toISOString()).toBe('2024-05-16T00:00:00.000Z');
  });
});
