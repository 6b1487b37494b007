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
import { imapSessionsPerUser } from '../../../../test/helpers/dovecot-control';
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
    options: {
      token?: SessionDeps['tokens']['get'];
      verdict: 'stop' | 'retry';
      logins?: SessionDeps['logins'];
      endpoint?: SessionDeps['endpoint'];
      states?: SessionDeps['states'];
    },
  ): AccountSession {
    const reading = getMailReading(app);
    return new AccountSession({
      accountId,
      logins: options.logins,
      endpoint: options.endpoint ?? (() => reading.endpoint(accountId)),
      tokens: {
        get: options.token ?? ((id) => plugin.tokens.getAccessToken(id)),
        refresh: (id, rejected) => plugin.tokens.invalidate(id, rejected),
      },
      windowStart: async () => new Date(Date.now() - 30 * 86_400_000),
      intervalMs: async () => 5 * 60_000,
      sync: { messages: reading.messages, folders: reading.folders, states: reading.states, events: reading.events },
      states: options.states ?? reading.states,
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
      // Scans are the test's, and each renews every lease: the lease outlives the test, so only a release frees
      // the account.
      scanIntervalMs: 3_600_000,
      renewAfterMs: 0,
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

  it('logs its sessions in a few at a time, however many accounts one scan takes', async () => {
    const users: Array<Awaited<ReturnType<typeof connectedUser>>> = [];
    for (let i = 0; i < 9; i++) users.push(await connectedUser(app));
    const reading = getMailReading(app);
    // A login runs from the session asking for its server (endpoint, then token, connect, authenticate) until it
    // records its push connection; counted here, outside the gate, so a gate that lets too many through shows.
    let loggingIn = 0;
    let peak = 0;
    let loggedIn = 0;
    const states = Object.assign(Object.create(reading.states), {
      update: (id: number, values: { pushConnected?: boolean }) => {
        if (values.pushConnected === true) {
          loggingIn -= 1;
          loggedIn += 1;
        }
        return reading.states.update(id, values as never);
      },
    }) as typeof reading.states;
    const coordinator = new SyncCoordinator({
      locks: app.lockManager,
      lockPrefix: `${app.name}:coordinator-logins-test`,
      connectedAccounts: async () => users.map((u) => u.accountId),
      scanIntervalMs: 3_600_000,
      logins: { concurrency: 2, jitterMs: 20 },
      createSession: (accountId, logins) =>
        sessionFor(accountId, {
          verdict: 'retry',
          logins,
          states,
          endpoint: () => {
            loggingIn += 1;
            peak = Math.max(peak, loggingIn);
            return reading.endpoint(accountId);
          },
        }),
    });
    coordinator.start();
    try {
      await waitFor(async () => loggedIn === users.length, { what: 'every session logged in', timeoutMs: 60_000 });
      expect(peak).toBe(2);
      const sessions = await imapSessionsPerUser('full');
      expect(users.map((u) => sessions.get(u.email) ?? 0)).toEqual(users.map(() => 1));
    } finally {
      await coordinator.stop();
    }
  });

  it('stop() ends sessions still waiting for their turn to log in: none logs in afterwards', async () => {
    const users: Array<Awaited<ReturnType<typeof connectedUser>>> = [];
    for (let i = 0; i < 6; i++) users.push(await connectedUser(app));
    let logins = 0;
    const coordinator = new SyncCoordinator({
      locks: app.lockManager,
      lockPrefix: `${app.name}:coordinator-stop-test`,
      connectedAccounts: async () => users.map((u) => u.accountId),
      scanIntervalMs: 3_600_000,
      logins: { concurrency: 1, jitterMs: 0 },
      createSession: (accountId, gate) =>
        sessionFor(accountId, {
          verdict: 'retry',
          logins: gate,
          token: (id) => {
            logins += 1;
            return plugin.tokens.getAccessToken(id);
          },
        }),
    });
    coordinator.start();
    await coordinator.scan();
    // The first login is under way and the other sessions wait their turn behind it.
    await waitFor(async () => logins >= 1, { what: 'the first login' });
    await coordinator.stop();
    const loginsAtStop = logins;
    // One login at a time: most sessions were still queued when stop() came.
    expect(loginsAtStop).toBeLessThan(users.length);
    // Whatever was mid-login closed its connection; the queued ones never log in.
    await waitFor(
      async () => {
        const sessions = await imapSessionsPerUser('full');
        return users.every((u) => !sessions.get(u.email));
      },
      { what: "no IMAP session of the test's users" },
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(logins).toBe(loginsAtStop);
    const sessions = await imapSessionsPerUser('full');
    expect(users.map((u) => sessions.get(u.email) ?? 0)).toEqual(users.map(() => 0));
  });

  it('stop() during a scan closes the sessions at once and renews no further lease', async () => {
    const users: Array<Awaited<ReturnType<typeof connectedUser>>> = [];
    for (let i = 0; i < 3; i++) users.push(await connectedUser(app));
    const leases = new LeaseTable(app.db);
    const coordinator = new SyncCoordinator({
      locks: new DatabaseLocks(leases),
      lockPrefix: `${app.name}:coordinator-stop-scan-test`,
      connectedAccounts: async () => users.map((u) => u.accountId),
      // Scans are the test's, and each renews every lease, one at a time.
      scanIntervalMs: 3_600_000,
      renewAfterMs: 0,
      renewConcurrency: 1,
      leaseMs: 3_600_000,
      logins: { jitterMs: 0 },
      createSession: (accountId, logins) => sessionFor(accountId, { verdict: 'retry', logins }),
    });
    coordinator.start();
    try {
      await waitFor(async () => coordinator.ownedAccounts().length === users.length, { what: 'every account owned' });
      // The first renewal of the scan hangs until stop() has been called, as one does behind a busy database.
      let renewals = 0;
      let unblock!: () => void;
      const blocked = new Promise<void>((resolve) => (unblock = resolve));
      const renew = leases.renew.bind(leases);
      const spy = jest.spyOn(leases, 'renew').mockImplementation(async (...args: Parameters<LeaseTable['renew']>) => {
        renewals += 1;
        if (renewals === 1) await blocked;
        return renew(...args);
      });
      try {
        const scanning = coordinator.scan();
        await waitFor(async () => renewals === 1, { what: 'the first renewal' });
        const sessions = users.map((u) => coordinator.session(u.accountId));
        const stopping = coordinator.stop();
        // The connections close while the renewal still hangs: app stop does not wait for a busy database first.
        await waitFor(async () => sessions.every((session) => session?.ended && !session.connected), {
          what: 'every session stopped before the scan ended',
        });
        unblock();
        await Promise.all([stopping, scanning]);
        expect(renewals).toBe(1);
        expect(coordinator.ownedAccounts()).toEqual([]);
      } finally {
        spy.mockRestore();
      }
    } finally {
      await coordinator.stop();
    }
  });

  it('renews a lease only once it is due, however many scans account changes ask for meanwhile', async () => {
    const users: Array<Awaited<ReturnType<typeof connectedUser>>> = [];
    for (let i = 0; i < 3; i++) users.push(await connectedUser(app));
    const leases = new LeaseTable(app.db);
    const renewals = jest.spyOn(leases, 'renew');
    const coordinator = new SyncCoordinator({
      locks: new DatabaseLocks(leases),
      lockPrefix: `${app.name}:coordinator-due-test`,
      connectedAccounts: async () => users.map((u) => u.accountId),
      scanIntervalMs: 3_600_000,
      leaseMs: 3 * 3_600_000,
      logins: { jitterMs: 0 },
      createSession: (accountId, logins) => sessionFor(accountId, { verdict: 'retry', logins }),
    });
    coordinator.start();
    try {
      await waitFor(async () => coordinator.ownedAccounts().length === users.length, { what: 'every account owned' });
      // Taking a lease sets its length through the same statement; only what the scans renew counts.
      renewals.mockClear();
      // What a burst of connected mailboxes asks for: a scan each.
      for (let i = 0; i < 5; i++) await coordinator.scan();
      expect(renewals).not.toHaveBeenCalled();
      expect(coordinator.ownedAccounts().sort()).toEqual(users.map((u) => u.accountId).sort());
    } finally {
      renewals.mockRestore();
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
