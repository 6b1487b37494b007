/**
 * A user disconnects a mailbox while its sync is writing: afterwards no row of that account may remain, whichever
 * write the sync was making. The disconnect is the user's HTTP action, run at an exact point of a real sync (real
 * Dovecot, real database), in two timings:
 * - committed just before one of the sync's statements goes to the database, after the sync's own checks passed;
 * - still open (the account and its rows deleted, COMMIT not yet sent) while the sync's statement runs.
 * Run on SQLite and on PostgreSQL (DB_DIALECT=postgres).
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

const WRITES: Point[] = [
  {
    label: 'creating the sync state row (after the check that the account exists)',
    collection: 'mailSyncStates',
    verb: 'INSERT',
    nth: 1,
  },
  {
    label: 'creating the first folder row (after LIST and the check for existing rows)',
    collection: 'mailFolders',
    verb: 'INSERT',
    nth: 1,
  },
  { label: 'creating a later folder row', collection: 'mailFolders', verb: 'INSERT', nth: 3 },
  {
    label: 'storing the first batch of messages (after the check that its folder exists)',
    collection: 'mailMessages',
    verb: 'INSERT',
    nth: 1,
  },
  { label: 'storing a later batch of messages', collection: 'mailMessages', verb: 'INSERT', nth: 3 },
];

const UPDATES: Point[] = [
  { label: 'recording progress', collection: 'mailSyncStates', verb: 'UPDATE', nth: 1 },
  { label: "saving a folder's cursor", collection: 'mailFolders', verb: 'UPDATE', nth: 1 },
];

type Timing = 'committed' | 'open';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('disconnecting while a sync runs leaves no row of the account', () => {
  let app: MockServer;

  beforeAll(async () => {
    // No background sessions: each test runs the sync engine itself, so it knows when the sync has ended.
    ({ app } = await readingApp('full', { background: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  /** PostgreSQL: some statement of this database waits for a row lock. */
  async function someoneWaitsForALock(): Promise<boolean> {
    if (app.db.sequelize.getDialect() !== 'postgres') return false;
    const [rows] = await app.db.sequelize.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    return (rows as Array<{ n: number }>)[0].n > 0;
  }

  /**
   * Every statement Sequelize sends passes through sequelize.query; this wraps it to run `disconnect` at the n-th
   * statement of the sync that matches `point`, in the given timing.
   */
  function armDisconnect(point: Point, timing: Timing, disconnect: () => Promise<void>) {
    const table = app.db.getModel(point.collection).getTableName().toString();
    const pattern = new RegExp(`^\\s*${point.verb}\\b(\\s+OR\\s+IGNORE)?(\\s+INTO)?\\s+[^(\\s]*\\b${table}\\b`, 'i');
    const sequelize = app.db.sequelize;
    const query = sequelize.query;
    let seen = 0;
    let phase: 'armed' | 'disconnecting' | 'afterStatement' | 'done' = 'armed';
    const atCommit = deferred();
    const commitGate = deferred();
    let disconnected: Promise<void> = Promise.resolve();

    sequelize.query = async function (this: unknown, ...args: Parameters<typeof query>) {
      const sql = typeof args[0] === 'string' ? args[0] : ((args[0] as { query?: string })?.query ?? '');
      const inTransaction = !!(args[1] as { transaction?: unknown } | undefined)?.transaction;
      if (phase === 'disconnecting' && inTransaction && /^\s*COMMIT\b/i.test(sql) && timing === 'open') {
        atCommit.resolve();
        await commitGate.promise;
      } else if (phase === 'armed' && !inTransaction && pattern.test(sql) && ++seen >= point.nth) {
        phase = 'disconnecting';
        disconnected = disconnect();
        if (timing === 'committed') {
          await disconnected;
          phase = 'done';
        } else {
          // Held at its COMMIT (or failed before it: the test then fails on the answer).
          await Promise.race([atCommit.promise, disconnected.catch(() => undefined)]);
          try {
            return await query.apply(this, args);
          } finally {
            phase = 'afterStatement';
          }
        }
      } else if (phase === 'afterStatement' && !inTransaction) {
        // The sync's next statement: the disconnect commits once it has finished, or once it waits for a lock
        // (the disconnect's row lock on PostgreSQL; it would wait forever otherwise).
        phase = 'done';
        const run = query.apply(this, args);
        const finished = run.then(
          () => true,
          () => true,
        );
        void (async () => {
          while (!(await Promise.race([finished, new Promise<boolean>((r) => setTimeout(() => r(false), 20))]))) {
            if (await someoneWaitsForALock()) break;
          }
          commitGate.resolve();
        })();
        return run;
      }
      return query.apply(this, args);
    } as typeof query;

    return {
      fired: () => phase !== 'armed',
      /** Waits for the disconnect (releasing it if the sync ended first), then restores sequelize.query. */
      finish: async () => {
        commitGate.resolve();
        await disconnected.catch(() => undefined);
        sequelize.query = query;
      },
    };
  }

  async function rowsOf(accountId: number): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of COLLECTIONS) out[name] = await app.db.getModel(name).count({ where: { accountId } });
    return out;
  }

  async function disconnectDuringSync(point: Point, timing: Timing) {
    const email =
      `midsync-${timing}-${point.collection}-${point.verb}-${point.nth}-${Date.now()}@example.test`.toLowerCase();
    // Several folders and several batches, so every point is reached.
    await seed(
      email,
      'INBOX',
      Array.from({ length: 40 }, (_, i) => ({ subject: `Inbox ${i}` })),
    );
    await seed(
      email,
      'Projects',
      Array.from({ length: 5 }, (_, i) => ({ subject: `Project ${i}` })),
    );
    const { agent, accountId } = await connectedUser(app, email);
    const { messages, folders, states, events } = getMailReading(app);

    let answer: number | undefined;
    const trigger = armDisconnect(point, timing, async () => {
      answer = (await (agent as Agent).resource('mailAccounts').disconnect({ filterByTk: accountId })).status;
    });
    const client: ImapFlow = await otherClient(email);
    try {
      // The sync may end either way once its account is gone; what it leaves behind is what counts.
      await syncAccount(
        client,
        { accountId, windowStart: new Date(Date.now() - 86_400_000) },
        { messages, folders, states, events, batchSize: 10 },
      ).catch(() => undefined);
    } finally {
      await trigger.finish();
      await client.logout().catch(() => client.close());
    }

    expect(trigger.fired()).toBe(true);
    expect(answer).toBe(200);
    expect(await app.db.getModel('mailAccounts').count({ where: { id: accountId } })).toBe(0);
    expect(await rowsOf(accountId)).toEqual({ mailFolders: 0, mailMessages: 0, mailSyncStates: 0 });
  }

  it.each([...WRITES, ...UPDATES])(
    'disconnect committed just before $label',
    (point) => disconnectDuringSync(point, 'committed'),
    60_000,
  );

  it.each(WRITES)('disconnect still open while $label', (point) => disconnectDuringSync(point, 'open'), 60_000);
});
