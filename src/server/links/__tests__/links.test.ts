/**
 * Links between mail and a `deals` record against the real app and mail stack: a message and a whole conversation
 * are linked and unlinked; the links hold on through a reply delivered later, a move, a UIDVALIDITY rebuild of the
 * folder and a disconnect/reconnect (unless the user asks to forget them); a deleted deal takes its links along;
 * another user's message is a 404, a record the caller cannot view a 403.
 */
import type { MockServer } from '@nocobase/test';
import { connectMailbox, pageMessage } from '../../../../test/helpers/mail-app';
import { deliver, newMailboxAddress } from '../../../../test/mail-stack/client';
import { sendingApp, startSync, waitFor } from '../../compose/__tests__/helpers/sending-app';
import { otherClient, rawMessage, seed, statusOf } from '../../sync/__tests__/helpers/reading-app';
import type { MailRecordLink } from '../../../shared/mail-links';
import type { PluginEmailManagerServer } from '../../plugin';
import { rootAgent, userWithRole } from '../../../../test/helpers/records-app';

jest.setTimeout(600_000);

type Agent = ReturnType<MockServer['agent']>;
interface Mailbox {
  agent: Agent;
  userId: number;
  email: string;
  accountId: number;
}

/** Collections made in the UI: a role's default permissions cover them. */
const UI_COLLECTION = { createdBy: true, asStrategyResource: true };

describe('links between mail and records', () => {
  let app: MockServer;
  let plugin: PluginEmailManagerServer;
  /** Sam may view deals, not ledgers. */
  let sam: Mailbox;
  let other: Mailbox;
  let deal: string;
  let ledger: string;
  const tag = Date.now().toString(36);
  const rootId = `<deal-root-${tag}@customer.test>`;
  const soloId = `<solo-${tag}@customer.test>`;
  const projectId = `<project-${tag}@customer.test>`;

  const sync = async (who: Mailbox) =>
    expect((await who.agent.resource('mailAccounts').sync({ filterByTk: who.accountId })).status).toBe(200);

  /** The row id of a message (by Message-ID, or by subject) in the mailbox, once the sync stored it. */
  async function rowOf(who: Mailbox, where: Record<string, unknown>): Promise<number> {
    return waitFor(
      async () => {
        await sync(who);
        const row = (await app.db
          .getModel('mailMessages')
          .findOne({ where: { accountId: who.accountId, ...where }, raw: true })) as unknown as { id: number } | null;
        return row ? Number(row.id) : null;
      },
      { what: `${JSON.stringify(where)} stored`, timeoutMs: 60_000 },
    );
  }

  const link = (who: Mailbox, values: Record<string, unknown>) => who.agent.resource('mailLinks').link({ values });
  const unlink = (who: Mailbox, values: Record<string, unknown>) => who.agent.resource('mailLinks').unlink({ values });
  async function linksOf(who: Mailbox, messageId: number): Promise<MailRecordLink[]> {
    const res = await who.agent.resource('mailLinks').listForMessage({ messageId });
    expect(res.status).toBe(200);
    return res.body.data;
  }
  const dealKeys = () => plugin.links.linkedKeysOf('deals', deal);
  const linkCount = () => app.db.getModel('mailLinks').count();

  async function newDeal(name: string): Promise<string> {
    return String((await app.db.getRepository('deals').create({ values: { name } })).get('id'));
  }

  async function connect(agent: Agent, userId: number, email: string): Promise<Mailbox> {
    const { callback } = await connectMailbox(agent, email);
    const result = pageMessage(callback.text);
    if (!result.ok || !result.accountId) throw new Error(`connect failed: ${JSON.stringify(result)}`);
    return { agent, userId, email, accountId: Number(result.accountId) };
  }

  beforeAll(async () => {
    ({ app, plugin } = await sendingApp());
    app.db.collection({
      name: 'deals',
      title: 'Deals',
      titleField: 'name',
      ...UI_COLLECTION,
      fields: [{ name: 'name', type: 'string' }],
    } as never);
    app.db.collection({
      name: 'ledgers',
      title: 'Ledgers',
      titleField: 'name',
      ...UI_COLLECTION,
      fields: [{ name: 'name', type: 'string' }],
    } as never);
    await app.db.sync();
    deal = await newDeal('Big deal');
    ledger = String((await app.db.getRepository('ledgers').create({ values: { name: 'Secret ledger' } })).get('id'));

    const seller = await userWithRole(app, { resources: [{ name: 'deals' }] });
    sam = await connect(seller.agent, seller.userId, newMailboxAddress('sam'));
    const colleague = await userWithRole(app, { resources: [{ name: 'deals' }] });
    other = await connect(colleague.agent, colleague.userId, newMailboxAddress('other'));

    await deliver({
      from: 'Buyer <buyer@customer.test>',
      to: sam.email,
      subject: 'Quote for Big deal',
      messageId: rootId,
      text: 'Can you quote?',
    });
    await deliver({ from: 'Buyer <buyer@customer.test>', to: sam.email, subject: 'Solo note', messageId: soloId });
    await seed(sam.email, 'Projects', [{ subject: 'Project plan', messageId: projectId }]);
    // A message without a Message-ID header, as some scripts send them.
    const client = await otherClient(sam.email);
    try {
      const raw = (await rawMessage({ subject: 'Re: Nameless' })).toString().replace(/^Message-ID:.*\r\n/im, '');
      await client.append('INBOX', Buffer.from(raw));
    } finally {
      await client.logout().catch(() => client.close());
    }
    await deliver({
      from: 'Buyer <buyer@customer.test>',
      to: other.email,
      subject: 'Not Sam',
      messageId: `<o-${tag}@x.test>`,
    });
    startSync(app);
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('links a message to the deal once, however often it is asked, and the message shows the deal', async () => {
    const solo = await rowOf(sam, { messageId: soloId });
    const first = await link(sam, { messageId: solo, collection: 'deals', recordKey: deal });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ collection: 'deals', recordKey: deal, kind: 'message', created: true });
    const again = await link(sam, { messageId: solo, collection: 'deals', recordKey: Number(deal) });
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({ linkId: first.body.data.linkId, created: false });
    expect(await linkCount()).toBe(1);
    expect(await linksOf(sam, solo)).toEqual([
      {
        linkId: first.body.data.linkId,
        collection: 'deals',
        collectionTitle: 'Deals',
        recordKey: deal,
        recordTitle: 'Big deal',
        kind: 'message',
        own: true,
      },
    ]);
    expect(await dealKeys()).toEqual({ messageIds: [soloId], threadKeys: [] });
  });

  it('links a whole conversation; a reply delivered later shows on the deal', async () => {
    const root = await rowOf(sam, { messageId: rootId });
    const res = await link(sam, { messageId: root, collection: 'deals', recordKey: deal, whole: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ kind: 'thread', created: true });
    expect((await dealKeys()).threadKeys).toEqual([rootId.toLowerCase()]);

    const replyId = await deliver({
      from: 'Buyer <buyer@customer.test>',
      to: sam.email,
      subject: 'Re: Quote for Big deal',
      inReplyTo: rootId,
      references: [rootId],
      text: 'Any news?',
    });
    const reply = await rowOf(sam, { messageId: replyId });
    expect(await linksOf(sam, reply)).toEqual([
      expect.objectContaining({ collection: 'deals', recordKey: deal, recordTitle: 'Big deal', kind: 'thread' }),
    ]);
  });

  it('a message without a Message-ID links only with its conversation, and says so', async () => {
    const nameless = await rowOf(sam, { subject: 'Re: Nameless' });
    const alone = await link(sam, { messageId: nameless, collection: 'deals', recordKey: deal });
    expect(alone.status).toBe(400);
    expect(alone.body.errors[0].message).toMatch(/no Message-ID.*link its whole conversation/);
    const whole = await link(sam, { messageId: nameless, collection: 'deals', recordKey: deal, whole: true });
    expect(whole.status).toBe(200);
    expect(whole.body.data.kind).toBe('thread');
    expect((await unlink(sam, { linkId: whole.body.data.linkId })).status).toBe(200);
  });

  it('a move between folders keeps the link', async () => {
    const solo = await rowOf(sam, { messageId: soloId });
    const folders = (await sam.agent.resource('mailFolders').list({ accountId: sam.accountId })).body.data as Array<{
      id: number;
      role: string | null;
    }>;
    const archive = folders.find((f) => f.role === 'archive')!;
    const moved = await sam.agent.resource('mailMessages').move({ filterByTk: solo, values: { folderId: archive.id } });
    expect(moved.status).toBe(200);
    await sync(sam);
    const now = await rowOf(sam, { messageId: soloId, folderId: archive.id });
    expect((await linksOf(sam, now)).map((l) => l.kind)).toEqual(['message']);
    expect((await dealKeys()).messageIds).toEqual([soloId]);
  });

  it('a UIDVALIDITY rebuild of the folder keeps the link, and the deal its message', async () => {
    const before = await rowOf(sam, { messageId: projectId });
    expect((await link(sam, { messageId: before, collection: 'deals', recordKey: deal })).status).toBe(200);
    const client = await otherClient(sam.email);
    try {
      const oldValidity = (await statusOf(client, 'Projects')).uidValidity;
      await client.mailboxDelete('Projects');
      await client.mailboxCreate('Projects');
      await client.append('Projects', await rawMessage({ subject: 'Project plan', messageId: projectId }));
      expect((await statusOf(client, 'Projects')).uidValidity).not.toBe(oldValidity);
    } finally {
      await client.logout().catch(() => client.close());
    }
    const after = await waitFor(
      async () => {
        const id = await rowOf(sam, { messageId: projectId });
        return id !== before ? id : null;
      },
      { what: 'the rebuilt row', timeoutMs: 60_000 },
    );
    expect(await linksOf(sam, after)).toEqual([expect.objectContaining({ recordKey: deal, kind: 'message' })]);
    expect((await dealKeys()).messageIds.sort()).toEqual([projectId, soloId].sort());
  });

  it("another user's message is a 404; a record the caller cannot view is a 403; mail data is no record", async () => {
    const theirs = await rowOf(other, { messageId: `<o-${tag}@x.test>` });
    for (const res of [
      await link(sam, { messageId: theirs, collection: 'deals', recordKey: deal }),
      await unlink(sam, { messageId: theirs, collection: 'deals', recordKey: deal }),
      await sam.agent.resource('mailLinks').listForMessage({ messageId: theirs }),
    ])
      expect(res.status).toBe(404);

    const solo = await rowOf(sam, { messageId: soloId });
    const denied = await link(sam, { messageId: solo, collection: 'ledgers', recordKey: ledger });
    expect(denied.status).toBe(403);
    const mail = await link(sam, { messageId: solo, collection: 'mailAccounts', recordKey: sam.accountId });
    expect(mail.status).toBe(400);
    expect((await link(sam, { messageId: solo, collection: 'nothing', recordKey: 1 })).status).toBe(400);

    // A link a workflow made for Sam (with the app's rights) to a ledger: listed for Sam only if Sam can view it.
    await plugin.links.link({ userId: sam.userId, messageRowId: solo, collection: 'ledgers', recordKey: ledger });
    expect((await linksOf(sam, solo)).map((l) => l.collection)).toEqual(['deals']);
    // Another user cannot take Sam's link away.
    const samLink = (await linksOf(sam, solo))[0].linkId;
    expect((await unlink(other, { linkId: samLink })).status).toBe(404);
  });

  it("NocoBase's generic routes answer nothing on links, for root either", async () => {
    const [any] = (await app.db.getModel('mailLinks').findAll({ limit: 1, raw: true })) as unknown as Array<{
      id: number;
    }>;
    const root = await rootAgent(app);
    for (const agent of [sam.agent, root.agent]) {
      expect((await agent.resource('mailLinks').list()).status).toBe(404);
      expect((await agent.resource('mailLinks').get({ filterByTk: any.id })).status).toBe(404);
      expect((await agent.resource('mailLinks').destroy({ filterByTk: any.id })).status).toBe(404);
    }
    expect(await app.db.getModel('mailLinks').findByPk(any.id)).not.toBeNull();
  });

  it('unlinks by link id and by the parameters of the link', async () => {
    const solo = await rowOf(sam, { messageId: soloId });
    const secondDeal = await newDeal('Second deal');
    const made = await link(sam, { messageId: solo, collection: 'deals', recordKey: secondDeal });
    expect((await unlink(sam, { linkId: made.body.data.linkId })).body.data).toEqual({ removed: 1 });
    expect((await unlink(sam, { linkId: made.body.data.linkId })).status).toBe(404);
    await link(sam, { messageId: solo, collection: 'deals', recordKey: secondDeal });
    const byParams = await unlink(sam, { messageId: solo, collection: 'deals', recordKey: secondDeal });
    expect(byParams.body.data).toEqual({ removed: 1 });
    expect(await plugin.links.linkedKeysOf('deals', secondDeal)).toEqual({ messageIds: [], threadKeys: [] });
  });

  it('deleting a deal removes its links, one by one or in bulk, through the API too', async () => {
    const solo = await rowOf(sam, { messageId: soloId });
    const gone = [await newDeal('Gone 1'), await newDeal('Gone 2'), await newDeal('Gone 3'), await newDeal('Gone 4')];
    for (const key of gone)
      expect((await link(sam, { messageId: solo, collection: 'deals', recordKey: key })).status).toBe(200);
    await app.db.getRepository('deals').destroy({ filterByTk: gone[0] });
    await app.db.getRepository('deals').destroy({ filter: { name: { $in: ['Gone 2', 'Gone 3'] } } });
    const root = await rootAgent(app);
    expect((await root.agent.resource('deals').destroy({ filterByTk: gone[3] })).status).toBe(200);
    for (const key of gone)
      expect(await plugin.links.linkedKeysOf('deals', key)).toEqual({ messageIds: [], threadKeys: [] });
    expect((await dealKeys()).messageIds).toContain(soloId);
  });

  it("disconnecting keeps the mailbox's links, and they are back after a reconnect; forgetLinks removes them", async () => {
    const kept = await dealKeys();
    const count = await linkCount();
    expect((await sam.agent.resource('mailAccounts').disconnect({ filterByTk: sam.accountId })).status).toBe(200);
    expect(await linkCount()).toBe(count);
    expect(await dealKeys()).toEqual(kept);

    sam = await connect(sam.agent, sam.userId, sam.email);
    const solo = await rowOf(sam, { messageId: soloId });
    expect((await linksOf(sam, solo)).map((l) => [l.collection, l.recordKey, l.kind])).toEqual([
      ['deals', deal, 'message'],
    ]);

    // Forgetting takes the links made from this mailbox before the reconnect too, and leaves the others'.
    const theirs = await rowOf(other, { messageId: `<o-${tag}@x.test>` });
    expect((await link(other, { messageId: theirs, collection: 'deals', recordKey: deal })).status).toBe(200);
    const forget = await sam.agent
      .resource('mailAccounts')
      .disconnect({ filterByTk: sam.accountId, values: { forgetLinks: true } });
    expect(forget.status).toBe(200);
    expect(await dealKeys()).toEqual({ messageIds: [`<o-${tag}@x.test>`], threadKeys: [] });
  });
});
