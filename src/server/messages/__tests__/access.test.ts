import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailFolderView, MailMessageListItem } from '../../../shared/mail-reading-types';
import { connectedUser, otherClient, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';

async function firstSync(agent: Agent) {
  await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0]?.lastSyncAt, {
    what: 'first sync',
  });
}

describe("a second user gets nothing of the first user's mail", () => {
  let app: MockServer;
  let alice: { agent: Agent; accountId: number; email: string };
  let bob: { agent: Agent; accountId: number; email: string };
  let aliceMsg: MailMessageListItem;
  let bobMsg: MailMessageListItem;
  let aliceInbox: MailFolderView;
  let bobArchive: MailFolderView;
  let aliceImap: ImapFlow;

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    const aliceEmail = `alice-${Date.now()}@example.test`;
    const bobEmail = `bob-${Date.now()}@example.test`;
    await seed(aliceEmail, 'INBOX', [
      {
        subject: 'Alice private',
        text: 'secret plans',
        attachments: [
          { filename: 'plans.pdf', content: Buffer.from('%PDF-1.4 secret'), contentType: 'application/pdf' },
        ],
      },
    ]);
    await seed(bobEmail, 'INBOX', [{ subject: 'Bob own', text: 'hello' }]);
    alice = await connectedUser(app, aliceEmail);
    bob = await connectedUser(app, bobEmail);
    await firstSync(alice.agent);
    await firstSync(bob.agent);
    aliceMsg = (await alice.agent.resource('mailMessages').list()).body.data[0];
    bobMsg = (await bob.agent.resource('mailMessages').list()).body.data[0];
    aliceInbox = ((await alice.agent.resource('mailFolders').list()).body.data as MailFolderView[]).find(
      (f) => f.role === 'inbox',
    )!;
    bobArchive = ((await bob.agent.resource('mailFolders').list()).body.data as MailFolderView[]).find(
      (f) => f.role === 'archive',
    )!;
    aliceImap = await otherClient(aliceEmail);
  }, 60_000);

  afterAll(async () => {
    await aliceImap?.logout().catch(() => undefined);
    await app?.destroy();
  });

  it('lists only their own messages, folders and sync states', async () => {
    const list = (await bob.agent.resource('mailMessages').list()).body.data as MailMessageListItem[];
    expect(list.map((m) => m.subject)).toEqual(['Bob own']);
    expect((await bob.agent.resource('mailMessages').list({ q: 'secret' })).body.data).toEqual([]);
    expect(
      (await bob.agent.resource('mailMessages').list({ threads: true })).body.data.map(
        (m: MailMessageListItem) => m.subject,
      ),
    ).toEqual(['Bob own']);
    const folders = (await bob.agent.resource('mailFolders').list()).body.data as MailFolderView[];
    expect(folders.every((f) => f.accountId === bob.accountId)).toBe(true);
    const states = (await bob.agent.resource('mailAccounts').syncStatus()).body.data;
    expect(states.map((s: { accountId: number }) => s.accountId)).toEqual([bob.accountId]);
  });

  it.each<[string, () => Promise<{ status: number; body: { errors?: { message: string }[] } }>]>([
    ['list by account', () => bob.agent.resource('mailMessages').list({ accountId: alice.accountId })],
    ['list by folder', () => bob.agent.resource('mailMessages').list({ folderId: aliceInbox.id })],
    ['get', () => bob.agent.resource('mailMessages').get({ filterByTk: aliceMsg.id })],
    [
      'attachment',
      () => bob.agent.get(`/mailMessages:attachment?filterByTk=${aliceMsg.id}&part=${aliceMsg.attachments[0].part}`),
    ],
    ['markRead', () => bob.agent.resource('mailMessages').markRead({ filterByTk: aliceMsg.id })],
    ['markUnread', () => bob.agent.resource('mailMessages').markUnread({ filterByTk: aliceMsg.id })],
    ['flag', () => bob.agent.resource('mailMessages').flag({ filterByTk: aliceMsg.id })],
    ['unflag', () => bob.agent.resource('mailMessages').unflag({ filterByTk: aliceMsg.id })],
    [
      'move her message into his folder',
      () => bob.agent.resource('mailMessages').move({ filterByTk: aliceMsg.id, values: { folderId: bobArchive.id } }),
    ],
    [
      'move his message into her folder',
      () => bob.agent.resource('mailMessages').move({ filterByTk: bobMsg.id, values: { folderId: aliceInbox.id } }),
    ],
    ['delete', () => bob.agent.resource('mailMessages').delete({ filterByTk: aliceMsg.id })],
    [
      'bulk with one of hers among his',
      () => bob.agent.resource('mailMessages').flag({ filterByTk: [bobMsg.id, aliceMsg.id] }),
    ],
    ['folders of her account', () => bob.agent.resource('mailFolders').list({ accountId: alice.accountId })],
    ['sync her account', () => bob.agent.resource('mailAccounts').sync({ filterByTk: alice.accountId })],
    [
      'sync status of her account',
      () => bob.agent.resource('mailAccounts').syncStatus({ filterByTk: alice.accountId }),
    ],
  ])('%s → 404, as if it did not exist', async (_name, call) => {
    const res = await call();
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/Alice private|secret|plans\.pdf/);
  });

  it('changed nothing: her message and his are as before, on the server and locally', async () => {
    const hers = (await alice.agent.resource('mailMessages').list()).body.data as MailMessageListItem[];
    expect(hers).toHaveLength(1);
    expect(hers[0]).toMatchObject({ id: aliceMsg.id, read: false, flagged: false, folderId: aliceInbox.id });
    const lock = await aliceImap.getMailboxLock('INBOX', { readOnly: true });
    try {
      const m = await aliceImap.fetchOne('*', { flags: true });
      // \Recent is per session (RFC 3501 §2.3.2), not something anyone set.
      expect(m && [...m.flags!].filter((f) => f !== '\\Recent')).toEqual([]);
    } finally {
      lock.release();
    }
    // The bulk request that named one of her messages was refused as a whole: his own stayed unflagged.
    const his = (await bob.agent.resource('mailMessages').list()).body.data as MailMessageListItem[];
    expect(his[0]).toMatchObject({ id: bobMsg.id, flagged: false });
  });

  it("NocoBase's generic CRUD does not open a side door, not even for root", async () => {
    // root skips ACL checks altogether: only the resource definitions stand between it and the rows.
    const rootUser = await app.db.getRepository('users').findOne({ filter: { 'roles.name': 'root' } });
    const admin = await app.agent().login(rootUser!, 'root');
    const attempts = [
      () => admin.resource('mailMessages').update({ filterByTk: aliceMsg.id, values: { subject: 'hacked' } }),
      () =>
        admin
          .resource('mailMessages')
          .create({ values: { accountId: alice.accountId, folderId: aliceInbox.id, uid: 999 } }),
      () => admin.resource('mailMessages').destroy({ filterByTk: aliceMsg.id }),
      () => admin.resource('mailFolders').update({ filterByTk: aliceInbox.id, values: { name: 'x' } }),
      () => admin.resource('mailSyncStates').list(),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(res.body)).not.toMatch(/Alice private|secret/);
    }
    // An admin's own mail list is theirs only: empty, with no mailbox connected.
    expect((await admin.resource('mailMessages').list()).body.data).toEqual([]);
    expect(
      (await alice.agent.resource('mailMessages').get({ filterByTk: aliceMsg.id, markRead: false })).body.data.subject,
    ).toBe('Alice private');
  });

  it('without signing in there is nothing at all', async () => {
    const res = await app.agent().resource('mailMessages').list();
    expect([401, 403]).toContain(res.status);
  });
});
