/**
 * Load: several users, each with a mailbox, list, open and send at once for a fixed time, with background sync and
 * push running as in production. Nothing may fail, and every message sent arrives exactly once, at the server and
 * in the recipient's list. 50 users by default, as the issue asks (about 1.5 min on 2 cores); LOAD_USERS and
 * LOAD_SECONDS change it.
 */
import { randomBytes } from 'node:crypto';
import type { MockServer } from '@nocobase/test';
import { getStack, seedMailbox } from '../mail-stack/client';
import type { Agent } from '../helpers/mail-app';
import type { MailMessageListItem } from '../../src/shared/mail-reading-types';
import { connectedUser, otherClient, readingApp, waitFor } from '../../src/server/sync/__tests__/helpers/reading-app';

const USERS = Number(process.env.LOAD_USERS || 50);
const SECONDS = Number(process.env.LOAD_SECONDS || 20);

jest.setTimeout((60 + USERS * 6 + SECONDS * 3) * 1000);

interface LoadUser {
  agent: Agent;
  email: string;
  accountId: number;
  inboxId: number;
}

describe(`load: ${USERS} users reading and sending for ${SECONDS} s`, () => {
  let app: MockServer;
  const users: LoadUser[] = [];

  beforeAll(async () => {
    // Outlook files the Sent copy itself, as the stand-in does: the plugin appends none.
    ({ app } = await readingApp(
      'full',
      {},
      { smtpHost: 'localhost', smtpPort: getStack().smtp.port, appendSentCopy: false, syncWindowDays: 3650 },
    ));
    for (let i = 0; i < USERS; i++) {
      const u = await connectedUser(app);
      await seedMailbox(u.email, { folders: { INBOX: 30, 'Sent Items': 5 }, seed: i + 1 });
      users.push({ ...u, inboxId: 0 });
    }
    for (const u of users) {
      u.inboxId = await waitFor(
        async () => {
          const folders = (await u.agent.resource('mailFolders').list()).body.data as Array<{
            id: number;
            role: string;
            total?: number;
          }>;
          const inbox = folders.find((f) => f.role === 'inbox');
          if (!inbox) {
            await u.agent.resource('mailAccounts').sync({ filterByTk: u.accountId });
            return 0;
          }
          const list = await u.agent.resource('mailMessages').list({ folderId: inbox.id, pageSize: 5 });
          return list.body.meta?.count >= 30 ? inbox.id : 0;
        },
        { what: `first sync of ${u.email}`, timeoutMs: 60_000 },
      );
    }
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('answers every request, and delivers every sent message exactly once', async () => {
    const errors: string[] = [];
    const sent: Array<{ to: LoadUser; subject: string }> = [];
    const until = Date.now() + SECONDS * 1000;
    const check = (what: string, res: { status: number; body: unknown }) => {
      if (res.status !== 200) errors.push(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    };

    await Promise.all(
      users.map(async (u, i) => {
        for (let round = 0; Date.now() < until; round++) {
          const list = await u.agent.resource('mailMessages').list({ folderId: u.inboxId, pageSize: 50 });
          check('list', list);
          const rows = (list.body.data ?? []) as MailMessageListItem[];
          if (rows.length) {
            const pick = rows[(round * 7 + i) % rows.length];
            check(
              'get',
              await u.agent.resource('mailMessages').get({ filterByTk: pick.id, markRead: round % 2 === 0 }),
            );
          }
          if (round % 3 === 0) {
            const to = users[(i + 1 + round) % users.length];
            const subject = `load ${i}-${round} ${randomBytes(4).toString('hex')}`;
            const res = await u.agent
              .resource('mailMessages')
              .send({ values: { accountId: u.accountId, to: [to.email], subject, text: `round ${round}` } });
            // 202: stored in the outbox and still being sent when the request answered; it must arrive all the same.
            if (res.status === 202) sent.push({ to, subject });
            else check('send', res);
            if (res.status === 200) sent.push({ to, subject });
          }
        }
      }),
    );

    expect(errors).toEqual([]);
    expect(sent.length).toBeGreaterThanOrEqual(USERS);

    // At the server: each subject exactly once in its recipient's Inbox.
    const byRecipient = new Map<string, string[]>();
    for (const s of sent) byRecipient.set(s.to.email, [...(byRecipient.get(s.to.email) ?? []), s.subject]);
    for (const [email, subjects] of byRecipient) {
      const client = await otherClient(email);
      try {
        const counts = await waitFor(
          async () => {
            const lock = await client.getMailboxLock('INBOX', { readOnly: true });
            try {
              const seen = new Map<string, number>();
              for await (const m of client.fetch('1:*', { envelope: true })) {
                const subject = m.envelope?.subject ?? '';
                if (subject.startsWith('load ')) seen.set(subject, (seen.get(subject) ?? 0) + 1);
              }
              return subjects.every((s) => seen.has(s)) ? seen : null;
            } finally {
              lock.release();
            }
          },
          { what: `all mail for ${email}`, timeoutMs: 30_000 },
        );
        for (const s of subjects) expect([s, counts.get(s)]).toEqual([s, 1]);
      } finally {
        await client.logout().catch(() => undefined);
      }
    }

    // In the recipients' lists: each once. Push normally lists it; on a starved 2-core machine a push-triggered
    // sync once had not listed a message after 30 s, so after that the recipient does what the periodic sync
    // (or a user's "Sync now") would: nothing may be missing or doubled once the mailbox has synced.
    const listed = async (s: { to: LoadUser; subject: string }) => {
      const res = await s.to.agent
        .resource('mailMessages')
        .list({ folderId: s.to.inboxId, q: s.subject.split(' ')[2] });
      const rows = (res.body.data ?? []) as MailMessageListItem[];
      return rows.length ? rows : null;
    };
    const late: string[] = [];
    for (const s of sent) {
      let found = await waitFor(() => listed(s), { what: `"${s.subject}" listed`, timeoutMs: 30_000 }).catch(
        () => null,
      );
      if (!found) {
        late.push(s.subject);
        await s.to.agent.resource('mailAccounts').sync({ filterByTk: s.to.accountId });
        found = await waitFor(() => listed(s), { what: `"${s.subject}" listed after a sync`, timeoutMs: 60_000 });
      }
      expect([s.subject, found.length]).toEqual([s.subject, 1]);
    }
    if (late.length)
      console.log(`load: ${late.length} of ${sent.length} messages were listed only after a sync: ${late.join(', ')}`);
  });
});
