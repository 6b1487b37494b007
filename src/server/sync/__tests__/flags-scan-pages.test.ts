/**
 * The Outlook-profile flags scan runs in rounds of stored UIDs (so its memory does not grow with the folder): flag
 * changes and expunges in every round, and new mail above the last one, all reach the store.
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import { syncAccount } from '../account-sync';
import { getMailReading } from '../register';
import { appendMessages, connectedUser, otherClient, readingApp, seed } from './helpers/reading-app';

describe('flags scan in rounds (Outlook profile, no CONDSTORE)', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await readingApp('outlook', { background: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('a resync with rounds of 4 stored messages matches the server after changes in every round', async () => {
    const email = `scanpages-${Date.now()}@example.test`;
    await seed(
      email,
      'INBOX',
      Array.from({ length: 25 }, (_, i) => ({ subject: `Message ${i + 1}`, flags: i % 5 === 0 ? ['\\Seen'] : [] })),
      'outlook',
    );
    const { accountId } = await connectedUser(app, email);
    const { messages, folders, states, events } = getMailReading(app);
    const deps = { messages, folders, states, events, batchSize: 10, scanPage: 4 };
    const request = { accountId, windowStart: new Date(Date.now() - 86_400_000) };
    const other: ImapFlow = await otherClient(email, 'outlook');
    try {
      const first = await otherClient(email, 'outlook');
      await syncAccount(first, request, deps);
      const lock = await other.getMailboxLock('INBOX');
      try {
        await other.messageFlagsAdd('2,9,17,25', ['\\Flagged'], { uid: true });
        await other.messageFlagsAdd('3,14', ['\\Seen'], { uid: true });
        await other.messageFlagsRemove('1,21', ['\\Seen'], { uid: true });
        await other.messageDelete('6,13,22', { uid: true });
        await appendMessages(other, 'INBOX', [{ subject: 'Newer', flags: ['\\Seen'] }]);
      } finally {
        lock.release();
      }
      const result = await syncAccount(first, request, deps);
      await first.logout().catch(() => first.close());
      expect(result.changed).toBe(true);

      const server: Array<{ uid: number; read: boolean; flagged: boolean }> = [];
      const check = await other.getMailboxLock('INBOX', { readOnly: true });
      try {
        for await (const m of other.fetch('1:*', { uid: true, flags: true })) {
          server.push({ uid: m.uid, read: m.flags!.has('\\Seen'), flagged: m.flags!.has('\\Flagged') });
        }
      } finally {
        check.release();
      }
      const inbox = (await folders.list(accountId)).find((f) => f.role === 'inbox')!;
      const local = [...(await messages.storedFlags(inbox.id)).entries()].map(([uid, f]) => ({
        uid,
        read: f.read,
        flagged: f.flagged,
      }));
      expect(local.sort((a, b) => a.uid - b.uid)).toEqual(server.sort((a, b) => a.uid - b.uid));
      expect(local).toHaveLength(23);
    } finally {
      await other.logout().catch(() => other.close());
    }
  }, 60_000);
});
