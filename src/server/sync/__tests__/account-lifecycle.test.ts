import type { MockServer } from '@nocobase/test';
import { revokeUser } from '../../../../test/mail-stack/client';
import type { MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { getMailReading } from '../register';
import { connectedUser, readingApp, seed, waitFor } from './helpers/reading-app';

const DAY = 86_400_000;

describe("an account's life: older mail, a revoked grant, disconnecting", () => {
  let app: MockServer;

  beforeAll(async () => {
    ({ app } = await readingApp('full', {}, { syncWindowDays: 30 }));
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('syncs the configured window first; "sync older mail" extends it back', async () => {
    const email = `older-${Date.now()}@example.test`;
    const now = Date.now();
    await seed(email, 'INBOX', [
      { subject: 'Recent', date: new Date(now - 2 * DAY) },
      { subject: 'Six weeks old', date: new Date(now - 45 * DAY) },
      { subject: 'Three months old', date: new Date(now - 90 * DAY) },
    ]);
    const { agent, accountId } = await connectedUser(app, email);
    const first = await waitFor(
      async () => {
        const st = (await agent.resource('mailAccounts').syncStatus()).body.data[0] as MailSyncStatusView;
        return st.lastSyncAt ? st : null;
      },
      { what: 'first sync' },
    );
    const subjects = async () =>
      ((await agent.resource('mailMessages').list()).body.data as MailMessageListItem[]).map((m) => m.subject).sort();
    expect(await subjects()).toEqual(['Recent']);
    expect(new Date(first.windowStart as string).getTime()).toBeLessThanOrEqual(now - 30 * DAY);

    const res = await agent.resource('mailAccounts').sync({ filterByTk: accountId, values: { olderDays: 30 } });
    expect(res.status).toBe(200);
    expect(await subjects()).toEqual(['Recent', 'Six weeks old']);
    expect(new Date(res.body.data.windowStart).getTime()).toBeLessThanOrEqual(now - 60 * DAY);

    const bad = await agent.resource('mailAccounts').sync({ filterByTk: accountId, values: { olderDays: -3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/olderDays must be a whole number/);
  });

  it('a grant revoked at Microsoft stops the sync and asks the user to reconnect, keeping the stored mail', async () => {
    const email = `revoked-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [{ subject: 'Before the revocation' }]);
    const { agent, accountId } = await connectedUser(app, email);
    await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt, {
      what: 'first sync',
    });

    await revokeUser(email);
    // The next login needs a new token: what happens at the latest when the current one expires.
    const sync = await agent.resource('mailAccounts').sync({ filterByTk: accountId });
    // Either the sync ran on the still-open session, or the reconnect failed: both leave the data alone.
    expect([200, 409]).toContain(sync.status);
    const body = await agent.get(
      `/mailMessages:get?filterByTk=${((await agent.resource('mailMessages').list()).body.data[0] as MailMessageListItem).id}`,
    );
    // Opening needs a fresh login (the pooled connection): refused, and the account now says why.
    expect(body.status).toBe(409);
    expect(body.body.errors[0]).toMatchObject({ code: 'RECONNECT_REQUIRED' });
    const account = (await agent.resource('mailAccounts').get({ filterByTk: accountId })).body.data;
    expect(account.status).toBe('reconnect_required');
    expect(account.statusReason).toMatch(/reconnect|sign in/i);
    // Already stored mail stays readable in the list.
    expect((await agent.resource('mailMessages').list()).body.data.map((m: MailMessageListItem) => m.subject)).toEqual([
      'Before the revocation',
    ]);
    const again = await agent.resource('mailAccounts').sync({ filterByTk: accountId });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].code).toBe('RECONNECT_REQUIRED');
  });

  it("disconnecting removes the account's folders, messages and sync state", async () => {
    const email = `gone-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [{ subject: 'One' }, { subject: 'Two' }]);
    const { agent, accountId } = await connectedUser(app, email);
    await waitFor(async () => (await agent.resource('mailMessages').list()).body.data.length === 2, {
      what: 'first sync',
    });
    const count = async (name: string) => app.db.getModel(name).count({ where: { accountId } });
    expect(await count('mailFolders')).toBeGreaterThan(0);
    expect(await count('mailSyncStates')).toBe(1);

    expect((await agent.resource('mailAccounts').disconnect({ filterByTk: accountId })).status).toBe(200);
    expect(await count('mailMessages')).toBe(0);
    expect(await count('mailFolders')).toBe(0);
    expect(await count('mailSyncStates')).toBe(0);
    // A sync that starts only now (it picked the account up just before) finds nothing to do and writes no state.
    const reading = getMailReading(app);
    expect(await reading.states.ensure(accountId)).toBeNull();
    await reading.states.bumpChange(accountId);
    expect(await count('mailSyncStates')).toBe(0);
    // And nothing comes back from a sync that was still running.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await count('mailMessages')).toBe(0);
    expect((await agent.resource('mailMessages').list()).body.data).toEqual([]);
  });
});
