import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailFolderView, MailMessageListItem } from '../../../shared/mail-reading-types';
import {
  appendMessages,
  connectedUser,
  statusOf,
  otherClient,
  Profile,
  readingApp,
  seed,
  waitFor,
} from './helpers/reading-app';

async function folderByPath(agent: Agent, path: string): Promise<MailFolderView> {
  const folders = (await agent.resource('mailFolders').list()).body.data as MailFolderView[];
  const f = folders.find((x) => x.path === path);
  if (!f) throw new Error(`no folder ${path}`);
  return f;
}

async function localState(agent: Agent, folderId: number | string) {
  const res = await agent.resource('mailMessages').list({ folderId, pageSize: 200 });
  expect(res.status).toBe(200);
  return (res.body.data as MailMessageListItem[])
    .map((m) => ({ uid: m.uid, read: m.read, flagged: m.flagged, subject: m.subject }))
    .sort((a, b) => a.uid - b.uid);
}

async function serverState(client: ImapFlow, path: string) {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    const out: Array<{ uid: number; read: boolean; flagged: boolean; subject: string }> = [];
    if (client.mailbox && client.mailbox.exists === 0) return out;
    for await (const m of client.fetch('1:*', { uid: true, flags: true, envelope: true })) {
      out.push({
        uid: m.uid,
        read: m.flags!.has('\\Seen'),
        flagged: m.flags!.has('\\Flagged'),
        subject: m.envelope!.subject!,
      });
    }
    return out.sort((a, b) => a.uid - b.uid);
  } finally {
    lock.release();
  }
}

async function syncNow(agent: Agent, accountId: number) {
  const res = await agent.resource('mailAccounts').sync({ filterByTk: accountId });
  expect(res.status).toBe(200);
  expect(res.body.data).toMatchObject({ stage: 'idle', lastError: null });
  return res.body.data;
}

describe.each<Profile>(['full', 'outlook'])(
  'changes made by another IMAP client (%s capability profile)',
  (profile) => {
    let app: MockServer;
    let agent: Agent;
    let accountId: number;
    let other: ImapFlow;

    beforeAll(async () => {
      ({ app } = await readingApp(profile));
      const email = `incr-${profile}-${Date.now()}@example.test`;
      await seed(
        email,
        'INBOX',
        [1, 2, 3, 4, 5].map((i) => ({ subject: `Inbox ${i}`, flags: i === 3 ? ['\\Seen'] : [] })),
        profile,
      );
      await seed(
        email,
        'Projects',
        [1, 2, 3].map((i) => ({ subject: `Project ${i}` })),
        profile,
      );
      ({ agent, accountId } = await connectedUser(app, email));
      await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt, {
        what: 'first sync',
      });
      other = await otherClient(email, profile);
    }, 60_000);

    afterAll(async () => {
      await other?.logout().catch(() => undefined);
      await app?.destroy();
    });

    it('starts identical to the server', async () => {
      const inbox = await folderByPath(agent, 'INBOX');
      expect(await localState(agent, inbox.id)).toEqual(await serverState(other, 'INBOX'));
      expect(await localState(agent, (await folderByPath(agent, 'Projects')).id)).toEqual(
        await serverState(other, 'Projects'),
      );
    });

    it('new mail, flag changes, a move and an expunge all appear after a sync', async () => {
      const lock = await other.getMailboxLock('INBOX');
      try {
        await appendMessages(other, 'INBOX', [
          { subject: 'Inbox new 1' },
          { subject: 'Inbox new 2', flags: ['\\Seen'] },
        ]);
        await other.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
        await other.messageFlagsAdd('2', ['\\Seen'], { uid: true });
        await other.messageFlagsRemove('3', ['\\Seen'], { uid: true });
        await other.messageMove('4', 'Projects', { uid: true });
        await other.messageDelete('5', { uid: true });
      } finally {
        lock.release();
      }
      await syncNow(agent, accountId);

      const inbox = await folderByPath(agent, 'INBOX');
      const local = await localState(agent, inbox.id);
      expect(local).toEqual(await serverState(other, 'INBOX'));
      expect(local.map((m) => m.subject)).toEqual(['Inbox 1', 'Inbox 2', 'Inbox 3', 'Inbox new 1', 'Inbox new 2']);
      expect(local.find((m) => m.subject === 'Inbox 1')).toMatchObject({ flagged: true });
      expect(local.find((m) => m.subject === 'Inbox 2')).toMatchObject({ read: true });
      expect(local.find((m) => m.subject === 'Inbox 3')).toMatchObject({ read: false });

      const projects = await folderByPath(agent, 'Projects');
      expect((await localState(agent, projects.id)).map((m) => m.subject)).toContain('Inbox 4');
      expect(await localState(agent, projects.id)).toEqual(await serverState(other, 'Projects'));

      const status = await statusOf(other, 'INBOX');
      expect(await folderByPath(agent, 'INBOX')).toMatchObject({
        totalCount: status.messages,
        unreadCount: status.unseen,
      });
    });

    it('a folder deleted elsewhere leaves with its messages, and the all-mail total follows', async () => {
      const total = async () => (await agent.resource('mailMessages').list({ pageSize: 1 })).body.meta.count as number;
      await other.mailboxCreate('Scratch');
      await appendMessages(
        other,
        'Scratch',
        [1, 2].map((i) => ({ subject: `Scratch ${i}` })),
      );
      await syncNow(agent, accountId);
      const withScratch = await total();
      await other.mailboxDelete('Scratch');
      await syncNow(agent, accountId);
      expect(
        ((await agent.resource('mailFolders').list()).body.data as MailFolderView[]).map((f) => f.path),
      ).not.toContain('Scratch');
      expect(await total()).toBe(withScratch - 2);
    });

    it('a changed UIDVALIDITY rebuilds the folder without duplicates', async () => {
      const before = await folderByPath(agent, 'Projects');
      const oldValidity = (await statusOf(other, 'Projects')).uidValidity;
      await other.mailboxDelete('Projects');
      await other.mailboxCreate('Projects');
      await appendMessages(
        other,
        'Projects',
        [1, 2, 3].map((i) => ({ subject: `Project ${i}` })),
      );
      expect((await statusOf(other, 'Projects')).uidValidity).not.toBe(oldValidity);

      await syncNow(agent, accountId);
      const after = await folderByPath(agent, 'Projects');
      const local = await localState(agent, after.id);
      expect(local).toEqual(await serverState(other, 'Projects'));
      expect(local.map((m) => m.subject).sort()).toEqual(['Project 1', 'Project 2', 'Project 3']);
      // Nothing of the old generation is left anywhere in the account.
      const all = (await agent.resource('mailMessages').list({ q: 'Project', pageSize: 200 })).body
        .data as MailMessageListItem[];
      expect(all.filter((m) => m.folderId === before.id || m.folderId === after.id)).toHaveLength(3);
    });
  },
);
