import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { connectedUser, otherClient, readingApp, realisticMix, seed, statusOf, waitFor } from './helpers/reading-app';

const COUNT = 1000;

async function allMessages(agent: Agent, params: Record<string, unknown> = {}): Promise<MailMessageListItem[]> {
  const out: MailMessageListItem[] = [];
  for (let page = 1; ; page++) {
    const res = await agent.resource('mailMessages').list({ ...params, page, pageSize: 200 });
    expect(res.status).toBe(200);
    out.push(...res.body.data);
    if (page >= res.body.meta.totalPage) return out;
  }
}

describe('initial sync of a 1,000-message mailbox', () => {
  let app: MockServer;
  let agent: Agent;
  let email: string;
  let other: ImapFlow;
  let progress: MailSyncStatusView[] = [];

  beforeAll(async () => {
    ({ app } = await readingApp('full', { batchSize: 200 }));
    email = `bulk-${Date.now()}@example.test`;
    await seed(email, 'INBOX', realisticMix(COUNT));
    ({ agent } = await connectedUser(app, email));
    await waitFor(
      async () => {
        const res = await agent.resource('mailAccounts').syncStatus();
        const st = res.body.data[0] as MailSyncStatusView;
        progress.push(st);
        return st.stage === 'idle' && st.lastSyncAt ? st : null;
      },
      { timeoutMs: 90_000, intervalMs: 50, what: 'the first sync to finish' },
    );
    other = await otherClient(email);
  }, 180_000);

  afterAll(async () => {
    await other?.logout().catch(() => undefined);
    await app?.destroy();
  });

  it('shows progress done/total while the first sync runs, then finishes', () => {
    const during = progress.filter((p) => p.stage === 'initial' && p.total > 0);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((p) => p.total === COUNT && p.done <= p.total)).toBe(true);
    progress = [];
  });

  it("stores every message once, with the server's counts and unread numbers", async () => {
    const messages = await allMessages(agent);
    expect(messages).toHaveLength(COUNT);
    expect(new Set(messages.map((m) => m.uid)).size).toBe(COUNT);
    const status = await statusOf(other, 'INBOX');
    const folders = (await agent.resource('mailFolders').list()).body.data;
    const inbox = folders.find((f: { role: string }) => f.role === 'inbox');
    expect(inbox).toMatchObject({ totalCount: status.messages, unreadCount: status.unseen });
    expect(messages.filter((m) => !m.read)).toHaveLength(status.unseen as number);
    const unreadPage = await agent.resource('mailMessages').list({ folderId: inbox.id, unread: true, pageSize: 1 });
    expect(unreadPage.body.meta.count).toBe(status.unseen);
  });

  it('lists newest first', async () => {
    const page = (await agent.resource('mailMessages').list({ pageSize: 50 })).body.data as MailMessageListItem[];
    const dates = page.map((m) => new Date(m.date as string).getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it("matches the server's flags and attachments", async () => {
    await other.mailboxOpen('INBOX', { readOnly: true });
    const server = new Map<number, { seen: boolean; flagged: boolean; files: number }>();
    for await (const m of other.fetch('1:*', { uid: true, flags: true, bodyStructure: true })) {
      const files = JSON.stringify(m.bodyStructure).match(/"disposition":"attachment"/g)?.length ?? 0;
      server.set(m.uid, { seen: m.flags!.has('\\Seen'), flagged: m.flags!.has('\\Flagged'), files });
    }
    const local = await allMessages(agent);
    for (const m of local) {
      const s = server.get(m.uid)!;
      expect({ uid: m.uid, read: m.read, flagged: m.flagged }).toEqual({
        uid: m.uid,
        read: s.seen,
        flagged: s.flagged,
      });
      expect(m.attachments.filter((a) => !a.inline)).toHaveLength(s.files);
      expect(m.hasAttachments).toBe(s.files > 0);
    }
    const withFiles = (await agent.resource('mailMessages').list({ hasAttachments: true, pageSize: 1 })).body.meta
      .count;
    expect(withFiles).toBe([...server.values()].filter((s) => s.files > 0).length);
  });

  it('groups conversations by References, three messages each', async () => {
    const threads = (await agent.resource('mailMessages').list({ threads: true, q: 'project', pageSize: 200 })).body;
    const seededThreads = realisticMix(COUNT).filter((m) => /^Project \d+$/.test(m.subject)).length;
    expect(threads.meta.count).toBe(seededThreads);
    for (const t of threads.data as MailMessageListItem[]) {
      expect(t.threadCount).toBe(3);
      // The row is the newest message of the conversation.
      expect(t.subject).toMatch(/^RE: Re: Project/);
    }
  });

  it('lists one conversation by its thread key, every message of it and nothing else', async () => {
    const [thread] = (await agent.resource('mailMessages').list({ threads: true, q: 'project', pageSize: 1 })).body
      .data as MailMessageListItem[];
    const members = (await agent.resource('mailMessages').list({ threadKey: thread.threadKey, pageSize: 200 })).body
      .data as MailMessageListItem[];
    expect(members).toHaveLength(thread.threadCount as number);
    expect(new Set(members.map((m) => m.threadKey))).toEqual(new Set([thread.threadKey]));
    expect(members[0].id).toBe(thread.id);
  });
});
