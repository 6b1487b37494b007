/**
 * The coordinator against the real Dovecot, database and lock manager, with sessions whose first login fails for
 * good. An account whose session stopped itself must get a fresh session once it is wanted again, however quickly
 * that happens: a scan may never see the account in error when it was revived (settings saved, retry due) before
 * the next scan ran, and a stopped session that stays owned would leave the account connected but never synced.
 */
import type { MockServer } from '@nocobase/test';
import { MailErrorCode } from '../../../shared/error-codes';
import { MailError } from '../../errors/mail-error';
import { DatabaseLocks } from '../../cluster/database-locks';
import { LeaseTable } from '../../cluster/lease-table';
import type PluginEmailManagerServer from '../../plugin';
import { AccountSession, SessionDeps } from '../account-session';
import { getMailReading } from '../register';
import { SyncCoordinator } from '../sync-coordinator';
import { connectedUser, readingApp, seed, waitFor } from './helpers/reading-app';

jest.setTimeout(60_000);

describe('SyncCoordinator', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;

  beforeAll(async () => {
    // No background sessions: the test runs its own coordinator.
    ({ app, plugin } = await readingApp('full', { background: false }));
  });

  afterAll(async () => {
    await app?.destroy();
  });

  /** A real session of the account, with the token source and failure verdict a test gives it. */
  function sessionFor(
    accountId: number,
    options: { token?: SessionDeps['tokens']['get']; verdict: 'stop' | 'retry' },
  ): AccountSession {
    const reading = getMailReading(app);
    return new AccountSession({
      accountId,
      endpoint: () => reading.endpoint(accountId),
      tokens: {
        get: options.token ?? ((id) => plugin.tokens.getAccessToken(id)),
        refresh: (id, rejected) => plugin.tokens.invalidate(id, rejected),
      },
      windowStart: async () => new Date(Date.now() - 30 * 86_400_000),
      intervalMs: async () => 5 * 60_000,
      sync: { messages: reading.messages, folders: reading.folders, states: reading.states, events: reading.events },
      states: reading.states,
      onFailure: async () => ({ verdict: options.verdict }),
    });
  }

  it('a session that stopped itself while its account stayed wanted is replaced by a fresh one at the next scan', async () => {
    const u = await connectedUser(app);
    await seed(u.email, 'INBOX', [{ subject: 'Synced by the second session' }]);
    const reading = getMailReading(app);
    let sessions = 0;
    const coordinator = new SyncCoordinator({
      locks: app.lockManager,
      lockPrefix: `${app.name}:coordinator-test`,
      // The account is wanted throughout: revived before any scan could see it in error.
      connectedAccounts: async () => [u.accountId],
      scanIntervalMs: 300,
      createSession: (accountId) => {
        const first = ++sessions === 1;
        return sessionFor(accountId, {
          token: async (id) => {
            if (first) throw new MailError(MailErrorCode.ADMIN_CONFIGURATION, 'The client secret was refused.');
            return plugin.tokens.getAccessToken(id);
          },
          verdict: 'stop',
        });
      },
    });
    coordinator.start();
    try {
      await waitFor(async () => (await reading.states.get(u.accountId))?.get('lastSyncAt'), {
        what: 'a sync by a fresh session',
      });
      expect(sessions).toBe(2);
      expect(coordinator.ownedAccounts()).toEqual([u.accountId]);
    } finally {
      await coordinator.stop();
    }
  });

  it('an owner whose lease renewal fails stops, releases the account and takes it again at once, not a lease later', async () => {
    const u = await connectedUser(app);
    const leases = new LeaseTable(app.db);
    const started: AccountSession[] = [];
    const coordinator = new SyncCoordinator({
      locks: new DatabaseLocks(leases),
      lockPrefix: `${app.name}:coordinator-renewal-test`,
      connectedAccounts: async () => [u.accountId],
      // Scans are the test's: the lease outlives the test, so only a release frees the account.
      scanIntervalMs: 3_600_000,
      leaseMs: 3_600_000,
      createSession: (accountId) => {
        const session = sessionFor(accountId, { verdict: 'retry' });
        started.push(session);
        return session;
      },
    });
    coordinator.start();
    try {
      await waitFor(async () => coordinator.owns(u.accountId), { what: 'the account owned' });
      const failing = jest.spyOn(leases, 'renew').mockRejectedValueOnce(new Error('connection reset'));
      try {
        await coordinator.scan();
      } finally {
        failing.mockRestore();
      }
      // The same scan found the account free again and started a fresh session.
      expect(started[0].ended).toBe(true);
      expect(started).toHaveLength(2);
      expect(coordinator.owns(u.accountId)).toBe(true);
      expect(coordinator.session(u.accountId)).toBe(started[1]);
    } finally {
      await coordinator.stop();
    }
  });

  it('"Sync now" while a scan is taking the account runs the sync here, not nowhere', async () => {
    const u = await connectedUser(app);
    await seed(u.email, 'INBOX', [{ subject: 'Synced by Sync now' }]);
    const reading = getMailReading(app);
    const locks = new DatabaseLocks(new LeaseTable(app.db));
    // The scan's lease write is held open until "Sync now" has asked, so the two overlap every time.
    let scanTaking!: () => void;
    const asked = new Promise<void>((resolve) => (scanTaking = resolve));
    const tryAcquire = locks.tryAcquire.bind(locks);
    jest.spyOn(locks, 'tryAcquire').mockImplementationOnce(async (key) => {
      const lock = await tryAcquire(key);
      const acquire = lock.acquire.bind(lock);
      lock.acquire = async (ttl) => {
        await asked;
        return acquire(ttl);
      };
      return lock;
    });
    const coordinator = new SyncCoordinator({
      locks,
      lockPrefix: `${app.name}:coordinator-sync-now-test`,
      connectedAccounts: async () => [u.accountId],
      scanIntervalMs: 3_600_000,
      createSession: (accountId) => sessionFor(accountId, { verdict: 'retry' }),
    });
    coordinator.start();
    try {
      await waitFor(async () => (locks.tryAcquire as jest.Mock).mock.calls.length > 0, { what: 'the scan taking it' });
      const ran = coordinator.syncHere(u.accountId, 'full');
      scanTaking();
      expect(await ran).toBe(true);
      expect((await reading.states.get(u.accountId))?.get('lastSyncAt')).toBeTruthy();
    } finally {
      await coordinator.stop();
    }
  });
});
