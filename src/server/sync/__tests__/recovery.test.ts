/**
 * Coming back after a failure, against the real stack: an account in `error` (here the classic cause, the client
 * secret rotated in the portal) is tried again by itself on a long backoff, and at once when the admin saves new
 * settings; a wait a throttling server asked for is kept even when the user clicks "Sync now". The session talks to
 * Dovecot through a fault proxy, which answers Outlook's throttling for one user's logins.
 */
import type { MockServer } from '@nocobase/test';
import { expireAccessTokens, getStack, registerApp } from '../../../../test/mail-stack/client';
import { kickUser } from '../../../../test/helpers/dovecot-control';
import { ImapFaultProxy, startImapFaultProxy } from '../../../../test/helpers/imap-fault-proxy';
import { Agent, standInSettings, testRedirectUri } from '../../../../test/helpers/mail-app';
import { MailAccountStatus } from '../../../shared/constants';
import type { MailSyncStatusView } from '../../../shared/mail-reading-types';
import type PluginEmailManagerServer from '../../plugin';
import { getMailReading } from '../register';
import { connectedUser, readingApp, seed, waitFor } from './helpers/reading-app';

jest.setTimeout(120_000);

const SCAN_INTERVAL_MS = 2000;
const MIN = 60_000;

describe('an account comes back by itself', () => {
  let proxy: ImapFaultProxy;
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let admin: Agent;

  beforeAll(async () => {
    proxy = await startImapFaultProxy(getStack().imap.port);
    ({ app, plugin, admin } = await readingApp('full', { scanIntervalMs: SCAN_INTERVAL_MS }, { imapPort: proxy.port }));
  });

  afterAll(async () => {
    await app?.destroy();
    await proxy?.close();
  });

  async function syncStatus(agent: Agent): Promise<MailSyncStatusView> {
    return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
  }

  async function accountStatus(agent: Agent, accountId: number): Promise<string> {
    return (await agent.resource('mailAccounts').get({ filterByTk: accountId })).body.data.status as string;
  }

  async function synced(agent: Agent, what: string, after = 0): Promise<MailSyncStatusView> {
    let last: MailSyncStatusView | undefined;
    return waitFor(
      async () => {
        const s = (last = await syncStatus(agent));
        return s.lastSyncAt && new Date(s.lastSyncAt).getTime() > after && !s.lastError ? s : null;
      },
      { what, timeoutMs: 30_000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; sync status: ${JSON.stringify(last)}`);
    });
  }

  /** The admin rotates the client secret in the portal; the saved one stops working at the next token refresh. */
  async function rotateSecret(): Promise<{ clientId: string; secret: string; previous: string }> {
    const settings = await plugin.settings.load();
    const rotated = await registerApp({ clientId: settings.clientId as string, redirectUris: [testRedirectUri(app)] });
    return { clientId: rotated.clientId, secret: rotated.secret, previous: settings.clientSecret as string };
  }

  /** Makes the session log in again with a refreshed token: what happens at the latest when its token expires. */
  async function forceReLogin(email: string) {
    await expireAccessTokens(email);
    await kickUser('full', email);
  }

  /**
   * The account in error and its failure recorded. With `recordedAs`, waits for the session's own record of the
   * failure: the recovery scan may give the account a retry time a moment earlier (the token service marked it in
   * error first), and a test that makes "time pass" before the session's record lands would have the session put
   * the revived account back in error — in real time that record lands 12 minutes before the retry.
   */
  async function inError(agent: Agent, accountId: number, recordedAs?: string) {
    await waitFor(async () => (await accountStatus(agent, accountId)) === 'error', {
      what: 'the account in error',
      timeoutMs: 30_000,
    });
    return waitFor(
      async () => {
        const s = await syncStatus(agent);
        return s.stage === 'stopped' && s.nextRetryAt && (!recordedAs || s.lastErrorCode === recordedAs) ? s : null;
      },
      { what: 'the stopped state with its retry time' },
    );
  }

  it('a rotated client secret: in error, retried 12–15 minutes later and then ever less often; once fixed, back without anyone acting', async () => {
    const u = await connectedUser(app);
    await seed(u.email, 'INBOX', [{ subject: 'Before the rotation' }]);
    await synced(u.agent, 'the first sync');
    const { clientId, previous } = await rotateSecret();
    const restore = () => registerApp({ clientId, secret: previous, redirectUris: [testRedirectUri(app)] });

    const failedAt = Date.now();
    try {
      await forceReLogin(u.email);
      const stopped = await inError(u.agent, u.accountId, 'ADMIN_CONFIGURATION');
      const wait = new Date(stopped.nextRetryAt!).getTime() - failedAt;
      expect(wait).toBeGreaterThanOrEqual(12 * MIN - 60_000);
      expect(wait).toBeLessThanOrEqual(15 * MIN + 60_000);
    } finally {
      // Someone puts the old secret back in the portal, telling nobody.
      await restore();
    }
    // Time passes until the retry is due.
    await getMailReading(app).states.update(u.accountId, { nextRetryAt: new Date(Date.now() - 1000) });
    await seed(u.email, 'INBOX', [{ subject: 'While it was in error' }]);
    await synced(u.agent, 'the sync after the retry came due', failedAt);
    expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
    const subjects = ((await u.agent.resource('mailMessages').list()).body.data as Array<{ subject: string }>).map(
      (m) => m.subject,
    );
    expect(subjects).toContain('While it was in error');
  });

  it('a retry that fails again waits longer, counted across sessions', async () => {
    const u = await connectedUser(app);
    await synced(u.agent, 'the first sync');
    const { clientId, previous } = await rotateSecret();
    try {
      await forceReLogin(u.email);
      const first = await inError(u.agent, u.accountId, 'ADMIN_CONFIGURATION');
      // Due now, but the secret is still wrong: the fresh session fails again and the next wait doubles.
      await getMailReading(app).states.update(u.accountId, { nextRetryAt: new Date(Date.now() - 1000) });
      const retriedAt = Date.now();
      const second = await waitFor(
        async () => {
          const s = await syncStatus(u.agent);
          return s.stage === 'stopped' && s.nextRetryAt && new Date(s.nextRetryAt).getTime() > retriedAt + 20 * MIN
            ? s
            : null;
        },
        { what: 'the second failure with a longer wait', timeoutMs: 30_000 },
      );
      expect(new Date(second.nextRetryAt!).getTime() - retriedAt).toBeLessThanOrEqual(30 * MIN + 60_000);
      expect(new Date(first.nextRetryAt!).getTime()).toBeLessThan(new Date(second.nextRetryAt!).getTime());
      expect(await accountStatus(u.agent, u.accountId)).toBe('error');
    } finally {
      await registerApp({ clientId, secret: previous, redirectUris: [testRedirectUri(app)] });
    }
  });

  it('the admin saves the new secret: accounts in error come back at once, long before their retry time', async () => {
    const u = await connectedUser(app);
    await seed(u.email, 'INBOX', [{ subject: 'Before the rotation' }]);
    await synced(u.agent, 'the first sync');
    const rotated = await rotateSecret();

    const failedAt = Date.now();
    await forceReLogin(u.email);
    const stopped = await inError(u.agent, u.accountId, 'ADMIN_CONFIGURATION');
    expect(new Date(stopped.nextRetryAt!).getTime()).toBeGreaterThan(Date.now() + 10 * MIN);

    const registration = { clientId: rotated.clientId, secret: rotated.secret, redirectUris: [testRedirectUri(app)] };
    const saved = await admin.resource('mailSettings').update({
      values: standInSettings(registration, { imapHost: 'localhost', imapPort: proxy.port }),
    });
    expect(saved.status).toBe(200);
    await synced(u.agent, 'the sync after the settings were saved', failedAt);
    expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
  });

  it('an account put in error by the token service itself (its session stopped before recording anything) still gets a retry time', async () => {
    const u = await connectedUser(app);
    await synced(u.agent, 'the first sync');
    // What the token service does when a refresh is refused: the account's status, written outside the session. The
    // status change stops the session at the next scan, so whatever it was doing is never recorded as a failure.
    const failedAt = Date.now();
    await plugin.accounts.markStatus(u.accountId, MailAccountStatus.error, 'The client secret was refused.');
    const stopped = await inError(u.agent, u.accountId);
    const wait = new Date(stopped.nextRetryAt!).getTime() - failedAt;
    expect(wait).toBeGreaterThanOrEqual(12 * MIN - 60_000);
    expect(wait).toBeLessThanOrEqual(15 * MIN + 60_000);

    await getMailReading(app).states.update(u.accountId, { nextRetryAt: new Date(Date.now() - 1000) });
    await synced(u.agent, 'the sync after the retry came due', failedAt);
    expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
  });

  it('"Sync now" while the server asked to wait (throttling): the wait is kept, the user sees when the next try is', async () => {
    const u = await connectedUser(app);
    await synced(u.agent, 'the first sync');
    const throttledLogins = () =>
      proxy.answered.filter((c) => c.startsWith('AUTHENTICATE') && loginOf(c) === u.email).length;
    // Outlook's answer to too many requests, with the wait it asks for.
    proxy.setRule((c) =>
      c.startsWith('AUTHENTICATE') && loginOf(c) === u.email
        ? 'NO Request is throttled. Suggested Backoff Time: 20000 milliseconds'
        : null,
    );
    try {
      const throttledAt = Date.now();
      await kickUser('full', u.email);
      const waiting = await waitFor(
        async () => {
          const s = await syncStatus(u.agent);
          return s.stage === 'retrying' && s.nextRetryAt ? s : null;
        },
        { what: 'the throttled session waiting', timeoutMs: 30_000 },
      );
      expect(new Date(waiting.nextRetryAt!).getTime()).toBeGreaterThanOrEqual(throttledAt + 20_000);
      const tries = throttledLogins();
      expect(tries).toBe(1);

      const res = await u.agent.resource('mailAccounts').sync({ filterByTk: u.accountId });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ stage: 'retrying', nextRetryAt: waiting.nextRetryAt });
      // No login while the server's wait runs; any that the click caused would come within a moment.
      await new Promise((r) => setTimeout(r, 3000));
      expect(throttledLogins()).toBe(tries);

      proxy.setRule(null);
      await synced(u.agent, 'the sync once the wait was over', throttledAt);
    } finally {
      proxy.setRule(null);
    }
  });
});

/** The user an XOAUTH2 login is for (its payload rides on the command line: SASL-IR, RFC 4959). */
function loginOf(command: string): string | undefined {
  const payload = /^AUTHENTICATE XOAUTH2 (\S+)/i.exec(command)?.[1];
  // The payload is `user=<addr>^Aauth=Bearer <token>^A^A` (fields separated by Ctrl-A).
  return payload
    ? Buffer.from(payload, 'base64')
        .toString('utf8')
        .split('\u0001')[0]
        .replace(/^user=/, '')
    : undefined;
}
