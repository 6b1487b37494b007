import type { MockServer } from '@nocobase/test';
import { dovecotPaths, dovecotPid, startDovecot } from '../../../../test/mail-stack/dovecot';
import { killDovecot } from '../../../../test/helpers/dovecot-control';
import { getStack } from '../../../../test/mail-stack/client';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { connectedUser, otherClient, readingApp, realisticMix, seed, waitFor } from './helpers/reading-app';
import { usePrivateMailStack } from '../../../../test/helpers/private-mail-stack';

const COUNT = 1000;
// The Outlook-profile instance: Postfix authenticates against the other one, so stopping this one disturbs less.
const paths = () => dovecotPaths(getStack().stateDir, 'outlook');

async function status(agent: Agent): Promise<MailSyncStatusView> {
  return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
}

// This suite takes mail servers down on purpose: it gets a stack of its own.
usePrivateMailStack('interrupted-sync');

describe('Dovecot killed in the middle of the first sync', () => {
  let app: MockServer;
  let agent: Agent;
  let email: string;

  beforeAll(async () => {
    // Small batches so the kill lands between batches of a run that is well under way.
    ({ app } = await readingApp('outlook', { batchSize: 10 }));
    email = `interrupted-${Date.now()}@example.test`;
    await seed(email, 'INBOX', realisticMix(COUNT), 'outlook');
  }, 120_000);

  afterAll(async () => {
    if (!dovecotPid(paths())) await startDovecot(paths()).catch(() => undefined);
    await app?.destroy();
  });

  it('reports a retry while the server is down, then finishes with no duplicates and no gaps', async () => {
    ({ agent } = await connectedUser(app, email));
    await waitFor(
      async () => {
        const st = await status(agent);
        return st.stage === 'initial' && st.done >= 100 && st.done < st.total / 2;
      },
      { intervalMs: 5, what: 'the first sync to be under way' },
    );

    await killDovecot('outlook');
    try {
      const down = await waitFor(
        async () => {
          const st = await status(agent);
          return st.stage === 'retrying' ? st : null;
        },
        { what: 'the sync to notice' },
      );
      expect(down.lastErrorCode).toBe('TRANSIENT');
      expect(down.lastError).toMatch(/mail server/i);
      expect(down.lastError).not.toMatch(/\bat .*\.(js|ts)/);
      expect(down.nextRetryAt).not.toBeNull();
      // Transient trouble is not the user's problem: the account stays connected.
      expect((await agent.resource('mailAccounts').get({ filterByTk: down.accountId })).body.data.status).toBe(
        'connected',
      );
      const partial = (await agent.resource('mailMessages').list({ pageSize: 1 })).body.meta.count;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(COUNT);
    } finally {
      await startDovecot(paths());
    }

    // "Sync now" cuts the backoff short and returns once the sync ran.
    const res = await agent.resource('mailAccounts').sync({ filterByTk: (await status(agent)).accountId });
    expect(res.status).toBe(200);
    const done = await waitFor(
      async () => {
        const st = await status(agent);
        return st.stage === 'idle' && st.lastError === null ? st : null;
      },
      { timeoutMs: 60_000, what: 'the sync to finish' },
    );
    expect(done.lastErrorCode).toBeNull();

    const local: MailMessageListItem[] = [];
    for (let page = 1; ; page++) {
      const body = (await agent.resource('mailMessages').list({ page, pageSize: 200 })).body;
      local.push(...body.data);
      if (page >= body.meta.totalPage) break;
    }
    const other = await otherClient(email, 'outlook');
    try {
      const lock = await other.getMailboxLock('INBOX', { readOnly: true });
      const serverUids: number[] = [];
      try {
        for await (const m of other.fetch('1:*', { uid: true })) serverUids.push(m.uid);
      } finally {
        lock.release();
      }
      const localUids = local.map((m) => m.uid).sort((a, b) => a - b);
      expect(localUids).toHaveLength(COUNT);
      expect(new Set(localUids).size).toBe(COUNT);
      expect(localUids).toEqual(serverUids.sort((a, b) => a - b));
    } finally {
      await other.logout().catch(() => undefined);
    }
  });
});
