/**
 * A user disconnects a mailbox while its sync is writing: afterwards no row of that account may remain, whichever
 * write the sync was about to make. The disconnect is the user's HTTP action, run at an exact point of a real sync
 * (real Dovecot, real database): just before one of the sync's statements goes to the database, after the sync's
 * own checks have passed. Run on SQLite and on PostgreSQL (DB_DIALECT=postgres).
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import { syncAccount } from '../account-sync';
import { getMailReading } from '../register';
import { connectedUser, otherClient, readingApp, seed } from './helpers/reading-app';

const COLLECTIONS = ['mailFolders', 'mailMessages', 'mailSyncStates'];

interface Point {
  /** What the sync was doing. */
  label: string;
  collection: string;
  verb: 'INSERT' | 'UPDATE';
  /** Which statement of that kind (1 = the first). */
  nth: number;
}

const POINTS: Point[] = [
  { label: 'creating the first folder row (after LIST and the check for existing rows)', collection: 'mailFolders', verb: 'INSERT', nth: 1 },
  { label: 'creating a later folder row', collection: 'mailFolders', verb: 'INSERT', nth: 3 },
  { label: 'storing the first batch of messages (after the check that its folder exists)', collection: 'mailMessages', verb: 'INSERT', nth: 1 },
  { label: 'storing a later batch of messages', collection: 'mailMessages', verb: 'INSERT', nth: 3 },
  { label: 'recording progress', collection: 'mailSyncStates', verb: 'UPDATE', nth: 1 },
  { label: 'saving a folder\'s cursor', collection: 'mailFolders', verb: 'UPDATE', nth: 1 },
];

describe('disconnecting while a sync runs leaves no row of the account', () => {
  let app: MockServer;

  beforeAll(async () => {
    // No background sessions: each test runs the sync engine itself, so it knows when the sync has ended.
    ({ app } = await readingApp('full', { background: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  /** Runs `disconnect` once, just before the n-th matching statement of the sync reaches the database. */
  function disconnectBefore(point: Point, disconnect: () => Promise<void>) {
    const table = app.db.getModel(point.collection).getTableName().toString();
    const pattern = new RegExp(`^\\s*${point.verb}\\b(\\s+OR\\s+IGNORE)?(\\s+INTO)?\\s+[^(\\s]*\\b${table}\\b`, 'i');
    const sequelize = app.db.sequelize;
    const query = sequelize.query;
    let seen = 0;
    let fired = false;
    let inDisconnect = false;
    // Every statement Sequelize sends passes through sequelize.query: the disconnect runs, and commits, before the
    // chosen statement is sent.
    sequelize.query = async function (this: unknown, ...args: Parameters<typeof query>) {
      const sql = typeof args[0] === 'string' ? args[0] : (args[0] as { query?: string })?.query ?? '';
      if (!fired && !inDisconnect && pattern.test(sql) && ++seen >= point.nth) {
        fired = true;
        inDisconnect = true;
        try {
          await disconnect();
        } finally {
          inDisconnect = false;
        }
      }
      return query.apply(this, args);
    } as typeof query;
    return {
      fired: () => fired,
      remove: () => {
        sequelize.query = query;
      },
    };
  }

  async function rowsOf(accountId: number): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of COLLECTIONS) out[name] = await app.db.getModel(name).count({ where: { accountId } });
    return out;
  }

  it.each(POINTS)('disconnect while $label', async (point) => {
    const email = `midsync-${point.collection}-${point.verb}-${point.nth}-${Date.now()}@example.test`.toLowerCase();
    // Several folders and several batches, so every point is reached.
    await seed(email, 'INBOX', Array.from({ length: 40 }, (_, i) => ({ subject: `Inbox ${i}` })));
    await seed(email, 'Projects', Array.from({ length: 5 }, (_, i) => ({ subject: `Project ${i}` })));
    const { agent, accountId } = await connectedUser(app, email);
    const { messages, folders, states } = getMailReading(app);

    let answer: number | undefined;
    const trigger = disconnectBefore(point, async () => {
      answer = (await (agent as Agent).resource('mailAccounts').disconnect({ filterByTk: accountId })).status;
    });
    const client: ImapFlow = await otherClient(email);
    try {
      // The sync may end either way once its account is gone; what it leaves behind is what counts.
      await syncAccount(client, { accountId, windowStart: new Date(Date.now() - 86_400_000) }, { messages, folders, states, batchSize: 10 })
        .catch(() => undefined);
    } finally {
      trigger.remove();
      await client.logout().catch(() => client.close());
    }

    expect(trigger.fired()).toBe(true);
    expect(answer).toBe(200);
    expect(await app.db.getModel('mailAccounts').count({ where: { id: accountId } })).toBe(0);
    expect(await rowsOf(accountId)).toEqual({ mailFolders: 0, mailMessages: 0, mailSyncStates: 0 });
  }, 60_000);
});
