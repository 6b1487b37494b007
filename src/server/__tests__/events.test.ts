/**
 * The event stream against the real stack (Dovecot, Postfix, the identity stand-in): the exact events of a sync,
 * a flag change, a move, a delete, a send, an account status change and a disconnect. Background sync (with push)
 * runs as in a real app; each check asks for a sync and waits for it, so whatever the work caused is in.
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import type { MailFolderView } from '../../shared/mail-reading-types';
import { MailAccountStatus } from '../../shared/constants';
import { connectedUser, postForm, sendingApp, startSync, waitFor } from '../compose/__tests__/helpers/sending-app';
import type { MailEventName, MailEvents } from '../events';
import type { PluginEmailManagerServer } from '../plugin';
import { otherClient, seed } from '../sync/__tests__/helpers/reading-app';

type Recorded = { [K in MailEventName]: { name: K; payload: MailEvents[K] } }[MailEventName];

const NAMES: MailEventName[] = [
  'messagesStored',
  'messagesChanged',
  'messagesRemoved',
  'foldersChanged',
  'messageSent',
  'accountStatusChanged',
];

describe('the event stream', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  let user: Awaited<ReturnType<typeof connectedUser>>;
  let folders: MailFolderView[];
  const recorded: Recorded[] = [];
  /** The events since the last call, in order. */
  const take = () => recorded.splice(0);
  const folder = (role: string) => folders.find((f) => f.role === role) as MailFolderView;
  const sync = async () =>
    expect((await user.agent.resource('mailAccounts').sync({ filterByTk: user.accountId })).status).toBe(200);
  const idOf = async (subject: string) => {
    const row = await app.db
      .getModel('mailMessages')
      .findOne({ where: { accountId: user.accountId, subject }, raw: true });
    return Number((row as unknown as { id: number }).id);
  };

  beforeAll(async () => {
    ({ app, plugin } = await sendingApp());
    for (const name of NAMES) plugin.events.on(name, (payload) => void recorded.push({ name, payload } as Recorded));
    user = await connectedUser(app, 'events');
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('connecting an account: accountStatusChanged connected', () => {
    expect(take()).toEqual([
      {
        name: 'accountStatusChanged',
        payload: { accountId: user.accountId, status: MailAccountStatus.connected, reason: null },
      },
    ]);
  });

  it("a sync: one messagesStored per stored batch, with the rows' ids and Message-IDs", async () => {
    await seed(user.email, 'INBOX', [
      { subject: 'Event one', messageId: '<event-one@example.test>' },
      { subject: 'Event two', messageId: '<event-two@example.test>' },
    ]);
    startSync(app);
    await sync();
    folders = (await user.agent.resource('mailFolders').list()).body.data;
    const events = take();
    expect(events).toEqual([
      {
        name: 'messagesStored',
        payload: {
          accountId: user.accountId,
          folderId: folder('inbox').id,
          ids: expect.any(Array),
          messageIds: expect.any(Array),
        },
      },
    ]);
    const payload = events[0].payload as MailEvents['messagesStored'];
    const byId = {
      [await idOf('Event one')]: '<event-one@example.test>',
      [await idOf('Event two')]: '<event-two@example.test>',
    };
    expect([...payload.ids].sort()).toEqual(Object.keys(byId).map(Number).sort());
    expect(payload.messageIds).toEqual(payload.ids.map((id) => byId[id]));
  });

  it('a sync that finds nothing new says nothing', async () => {
    await sync();
    expect(take()).toEqual([]);
  });

  it('a flag change by the user: messagesChanged with that flag', async () => {
    const id = await idOf('Event one');
    expect((await user.agent.resource('mailMessages').flag({ filterByTk: [id] })).status).toBe(200);
    expect(take()).toEqual([
      {
        name: 'messagesChanged',
        payload: { accountId: user.accountId, ids: [id], change: { kind: 'flags', flags: { flagged: true } } },
      },
    ]);
  });

  it("a flag change found by the sync: messagesChanged with the message's flags", async () => {
    const other: ImapFlow = await otherClient(user.email);
    try {
      const lock = await other.getMailboxLock('INBOX');
      try {
        const uids = (await other.search({ subject: 'Event two' }, { uid: true })) as number[];
        await other.messageFlagsAdd(uids.join(','), ['\\Seen'], { uid: true });
      } finally {
        lock.release();
      }
    } finally {
      await other.logout().catch(() => other.close());
    }
    await sync();
    expect(take()).toEqual([
      {
        name: 'messagesChanged',
        payload: {
          accountId: user.accountId,
          ids: [await idOf('Event two')],
          change: { kind: 'flags', flags: { read: true, flagged: false, answered: false, draft: false } },
        },
      },
    ]);
  });

  it('a move: messagesChanged, moved from one folder to the other', async () => {
    const id = await idOf('Event one');
    const res = await user.agent
      .resource('mailMessages')
      .move({ filterByTk: id, values: { folderId: folder('archive').id } });
    expect(res.status).toBe(200);
    expect(take()).toEqual([
      {
        name: 'messagesChanged',
        payload: {
          accountId: user.accountId,
          ids: [id],
          change: { kind: 'moved', fromFolderId: folder('inbox').id, toFolderId: folder('archive').id },
        },
      },
    ]);
  });

  it('a delete: to Trash is a move, from Trash messagesRemoved', async () => {
    const id = await idOf('Event two');
    expect((await user.agent.resource('mailMessages').delete({ filterByTk: id })).status).toBe(200);
    expect(take()).toEqual([
      {
        name: 'messagesChanged',
        payload: {
          accountId: user.accountId,
          ids: [id],
          change: { kind: 'moved', fromFolderId: folder('inbox').id, toFolderId: folder('trash').id },
        },
      },
    ]);
    expect((await user.agent.resource('mailMessages').delete({ filterByTk: id })).status).toBe(200);
    expect(take()).toEqual([
      { name: 'messagesRemoved', payload: { accountId: user.accountId, folderId: folder('trash').id, ids: [id] } },
    ]);
  });

  it('an account status change: accountStatusChanged, and again when "sync now" gives it another try', async () => {
    await plugin.accounts.markStatus(user.accountId, MailAccountStatus.error, 'The server said no.');
    expect(take()).toEqual([
      {
        name: 'accountStatusChanged',
        payload: { accountId: user.accountId, status: MailAccountStatus.error, reason: 'The server said no.' },
      },
    ]);
    await sync();
    expect(take()).toEqual([
      {
        name: 'accountStatusChanged',
        payload: { accountId: user.accountId, status: MailAccountStatus.connected, reason: null },
      },
    ]);
  });

  it('a send: messageSent once, then the copy the server filed in Sent arrives as messagesStored', async () => {
    const res = await postForm(user.agent, 'mailMessages:send', {
      accountId: user.accountId,
      to: [user.email],
      subject: 'Event sent',
      html: '<p>Hello</p>',
    });
    expect(res.status).toBe(200);
    const { id: outboxId, messageId } = res.body.data as { id: number; messageId: string };
    const sent = () => recorded.filter((e) => e.name === 'messageSent');
    expect(sent()).toEqual([{ name: 'messageSent', payload: { outboxId, accountId: user.accountId, messageId } }]);
    // The server files its Sent copy on its own time, and push watches the Inbox only: sync until it is there.
    await waitFor(
      async () => {
        await sync();
        folders = (await user.agent.resource('mailFolders').list()).body.data;
        const sentFolder = folder('sent');
        return (
          !!sentFolder &&
          recorded.some(
            (e) =>
              e.name === 'messagesStored' &&
              e.payload.folderId === sentFolder.id &&
              e.payload.messageIds.includes(messageId),
          )
        );
      },
      { what: 'the Sent copy stored' },
    );
    expect(sent()).toHaveLength(1);
  });

  it('a disconnect: accountStatusChanged removed, and no event for each thing removed with it', async () => {
    // The sync the send asked for, and the one it may have queued, are over before the disconnect.
    await sync();
    take();
    expect((await user.agent.resource('mailAccounts').disconnect({ filterByTk: user.accountId })).status).toBe(200);
    expect(take()).toEqual([
      { name: 'accountStatusChanged', payload: { accountId: user.accountId, status: 'removed', reason: null } },
    ]);
  });
});
