/**
 * Faults while push (IDLE) runs, on the Outlook capability profile: the server restarted under the session, the
 * user's grant revoked, the identity stand-in down. Sync after a server crash mid-first-sync and Postfix down during
 * a send are covered by the sync and outbox suites; these cover what happens to a running session.
 */
import type { MockServer } from '@nocobase/test';
import { deliver, expireAccessTokens, revokeUser, setIdentityDown, tokenEndpointCalls } from '../mail-stack/client';
import type { Agent } from '../helpers/mail-app';
import { kickUser, killDovecot, loginAttempts, startDovecotAgain } from '../helpers/dovecot-control';
import type { MailMessageListItem, MailSyncStatusView } from '../../src/shared/mail-reading-types';
import {
  connectedUser,
  otherClient,
  readingApp,
  statusOf,
  waitFor,
} from '../../src/server/sync/__tests__/helpers/reading-app';
import { usePrivateMailStack } from '../helpers/private-mail-stack';

jest.setTimeout(120_000);

// This suite takes mail servers down on purpose: it gets a stack of its own.
usePrivateMailStack('faults');

describe('faults while push runs (Outlook profile)', () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await readingApp('outlook'));
  });
  afterAll(async () => {
    await app?.destroy();
  });

  async function syncStatus(agent: Agent): Promise<MailSyncStatusView> {
    return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
  }

  async function pushing(agent: Agent, what: string) {
    await waitFor(
      async () => {
        const s = await syncStatus(agent);
        return s.pushConnected && s.lastSyncAt ? s : null;
      },
      { what, timeoutMs: 30_000 },
    );
  }

  async function inbox(agent: Agent): Promise<MailMessageListItem[]> {
    const folders = (await agent.resource('mailFolders').list()).body.data as Array<{ id: number; role: string }>;
    const res = await agent
      .resource('mailMessages')
      .list({ folderId: folders.find((f) => f.role === 'inbox')!.id, pageSize: 200 });
    return res.body.data as MailMessageListItem[];
  }

  async function accountStatus(agent: Agent, accountId: number): Promise<string> {
    return (await agent.resource('mailAccounts').get({ filterByTk: accountId })).body.data.status as string;
  }

  it('Dovecot killed and restarted under IDLE: the session comes back by itself; mail from during and after the outage is listed once', async () => {
    const u = await connectedUser(app);
    await deliver({ to: u.email, subject: 'before the crash', text: 'x' });
    await pushing(u.agent, 'push before the crash');

    await killDovecot('outlook');
    // Delivery goes through LMTP to the other instance (the same mailboxes): mail keeps arriving meanwhile.
    await deliver({ to: u.email, subject: 'during the outage', text: 'x' });
    await new Promise((r) => setTimeout(r, 1500));
    await startDovecotAgain('outlook');
    await pushing(u.agent, 'push after the restart');
    await deliver({ to: u.email, subject: 'after the restart', text: 'x' });

    const rows = await waitFor(
      async () => {
        const list = await inbox(u.agent);
        return list.some((m) => m.subject === 'after the restart') &&
          list.some((m) => m.subject === 'during the outage')
          ? list
          : null;
      },
      { what: 'mail from during and after the outage, without a manual sync', timeoutMs: 30_000 },
    );
    const client = await otherClient(u.email, 'outlook');
    try {
      expect(rows).toHaveLength((await statusOf(client, 'INBOX')).messages as number);
    } finally {
      await client.logout().catch(() => undefined);
    }
    expect(new Set(rows.map((m) => m.uid)).size).toBe(rows.length);
    expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
  });

  it('grant revoked while IDLE runs: after the drop the account asks to reconnect, with no storm of logins or token calls', async () => {
    const u = await connectedUser(app);
    await pushing(u.agent, 'push');
    await revokeUser(u.email);
    await expireAccessTokens(u.email);
    await kickUser('outlook', u.email);

    await waitFor(async () => (await accountStatus(u.agent, u.accountId)) === 'reconnect_required', {
      what: 'reconnect_required',
      timeoutMs: 30_000,
    });
    const logins = loginAttempts('outlook', u.email);
    const tokenCalls = await tokenEndpointCalls({ email: u.email });
    // Several scan intervals (2 s here): a stopped session must stay stopped.
    await new Promise((r) => setTimeout(r, 8000));
    expect(loginAttempts('outlook', u.email)).toBe(logins);
    expect(await tokenEndpointCalls({ email: u.email })).toBe(tokenCalls);
    // The sign-in, the first session, and at most one rejected login plus one refresh attempt after the drop.
    expect(tokenCalls).toBeLessThanOrEqual(3);
    const status = await syncStatus(u.agent);
    expect(status.pushConnected).toBe(false);
  });

  it('identity stand-in down: a transient error and retries, the account stays connected, and it recovers by itself', async () => {
    const u = await connectedUser(app);
    await pushing(u.agent, 'push');
    await setIdentityDown(true, { email: u.email, status: 503 });
    try {
      await expireAccessTokens(u.email);
      await kickUser('outlook', u.email);
      const failing = await waitFor(
        async () => {
          const s = await syncStatus(u.agent);
          return s.lastError && !s.pushConnected ? s : null;
        },
        { what: 'a transient sync error', timeoutMs: 30_000 },
      );
      expect(failing.nextRetryAt).not.toBeNull();
      expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
    } finally {
      await setIdentityDown(false, { email: u.email });
    }
    await deliver({ to: u.email, subject: 'after the outage', text: 'x' });
    await waitFor(async () => (await inbox(u.agent)).some((m) => m.subject === 'after the outage'), {
      what: 'mail listed after recovery, without user action',
      timeoutMs: 60_000,
    });
    await pushing(u.agent, 'push after recovery');
    expect(await accountStatus(u.agent, u.accountId)).toBe('connected');
  });
});
