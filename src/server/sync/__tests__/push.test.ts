import type { MockServer } from '@nocobase/test';
import { deliver } from '../../../../test/mail-stack/client';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { connectedUser, Profile, readingApp, waitFor } from './helpers/reading-app';

describe.each<Profile>(['full', 'outlook'])('push over IDLE (%s capability profile)', (profile) => {
  let app: MockServer;
  let agent: Agent;
  let email: string;

  beforeAll(async () => {
    // A long interval: only push can explain a message showing up within seconds.
    ({ app } = await readingApp(profile, {}, { syncIntervalMinutes: 60 }));
    ({ agent, email } = await connectedUser(app));
    await waitFor(
      async () => {
        const st = (await agent.resource('mailAccounts').syncStatus()).body.data[0] as MailSyncStatusView;
        return st.lastSyncAt && st.pushConnected;
      },
      { what: 'first sync and the push connection' },
    );
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('lists a message delivered through Postfix within 2 s, without a manual sync', async () => {
    const before = (await agent.resource('mailAccounts').syncStatus()).body.data[0] as MailSyncStatusView;
    const subject = `Pushed ${Date.now()}`;
    await deliver({ to: email, subject, text: 'Arrived by SMTP and LMTP.' });
    const delivered = Date.now();
    const found = await waitFor(
      async () => {
        const rows = (await agent.resource('mailMessages').list({ q: subject })).body.data as MailMessageListItem[];
        return rows.length ? rows : null;
      },
      { timeoutMs: 5000, intervalMs: 50, what: 'the pushed message' },
    );
    const elapsed = Date.now() - delivered;
    expect(elapsed).toBeLessThan(2000);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject, read: false, snippet: 'Arrived by SMTP and LMTP.' });
    // The cheap "something changed" signal a client polls moves with it (written right after the rows).
    const after = await waitFor(
      async () => {
        const st = (await agent.resource('mailAccounts').syncStatus()).body.data[0] as MailSyncStatusView;
        return st.changeSeq > before.changeSeq ? st : null;
      },
      { timeoutMs: 1000, intervalMs: 20, what: 'changeSeq to move' },
    );
    expect(after.lastChangeAt).not.toBeNull();
  });
});
