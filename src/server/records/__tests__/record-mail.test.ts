/**
 * A customer's mail, as a user of the record sees it: every message in which the customer's addresses (its own, its
 * aliases, its contacts') or its domain take part, across Inbox, Sent Items and Archive and across the user's two
 * mailboxes, once per message, newest first; read with the user's NocoBase permissions on the record.
 */
import type { MockServer } from '@nocobase/test';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Agent } from '../../../../test/helpers/mail-app';
import { connectMailbox, pageMessage } from '../../../../test/helpers/mail-app';
import { createCustomer, defineCustomers, userWithRole } from '../../../../test/helpers/records-app';
import type { MailMessageListItem } from '../../../shared/mail-reading-types';
import type { RecordMessageItem, RecordMessagePage } from '../../../shared/mail-records';
import { PARTICIPANTS_COLLECTION } from '../../store/collection-names';
import {
  connectedUser,
  otherClient,
  readingApp,
  seed,
  TestMessage,
  waitFor,
} from '../../sync/__tests__/helpers/reading-app';

jest.setTimeout(300_000);

const DAY = 86_400_000;
const now = Date.now();
const daysAgo = (n: number) => new Date(now - n * DAY);

/** A sent copy as Outlook files it: with its Bcc header (a received copy never has one). */
async function appendSent(email: string, m: TestMessage & { bcc?: string }) {
  const node = new MailComposer({
    from: m.from,
    to: m.to,
    bcc: m.bcc,
    subject: m.subject,
    date: m.date,
    messageId: m.messageId,
    text: `Body of ${m.subject}`,
  }).compile();
  (node as unknown as { keepBcc: boolean }).keepBcc = true;
  const client = await otherClient(email);
  try {
    await client.append('Sent Items', await node.build(), ['\\Seen'], m.date);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

describe('mailRecords:list: the mail of a customer record', () => {
  let app: MockServer;
  let agent: Agent;
  let userId: number;
  let accountA: number;
  let accountB: number;
  let customer: number;
  const stamp = Date.now();
  const emailA = `rec-a-${stamp}@example.test`;
  const emailB = `rec-b-${stamp}@example.test`;

  const list = async (params: Record<string, unknown>, as: Agent = agent) =>
    as.resource('mailRecords').list({
      collection: 'customers',
      filterByTk: customer,
      addressFields: ['email', 'aliases', 'contacts.email'],
      ...params,
    });
  type Response = { body: { data: RecordMessageItem[]; meta: Omit<RecordMessagePage, 'rows'> } };
  // NocoBase wraps a `{ rows, … }` body as `{ data: rows, meta: { … } }`, as for mailMessages:list.
  const pageOf = (res: Response): RecordMessagePage => ({ rows: res.body.data, ...res.body.meta });
  const subjects = (res: Response) => pageOf(res).rows.map((r) => r.subject);

  const participantsOf = async (messageRowIds: number[]) =>
    app.db.getModel(PARTICIPANTS_COLLECTION).count({ where: { messageRowId: messageRowIds } });
  const syncNow = async (accountId: number) => {
    const res = await agent.resource('mailAccounts').sync({ filterByTk: accountId });
    expect(res.status).toBe(200);
  };
  const messagesNamed = async (subject: string): Promise<MailMessageListItem[]> =>
    (await agent.resource('mailMessages').list({ q: subject, pageSize: 100 })).body.data;

  beforeAll(async () => {
    ({ app } = await readingApp('full'));
    await defineCustomers(app);
    await seed(emailA, 'INBOX', [
      {
        subject: 'Order figures',
        from: 'Buyer <buyer@acme.test>',
        to: emailA,
        messageId: '<m1@acme.test>',
        date: daysAgo(10),
        attachments: [{ filename: 'order.pdf', content: Buffer.alloc(512, 1), contentType: 'application/pdf' }],
      },
      { subject: 'Contact hello', from: 'ann@acme.test', to: emailA, messageId: '<m2@acme.test>', date: daysAgo(9) },
      { subject: 'Unrelated news', from: 'news@other.test', to: emailA, date: daysAgo(8) },
      { subject: 'Domain only', from: 'someone@ACME.test', to: emailA, date: daysAgo(7) },
      {
        subject: 'Alias recipient',
        from: 'boss@example.test',
        to: `${emailA}, Sales <SALES@acme.test>`,
        date: daysAgo(6),
      },
    ]);
    await appendSent(emailA, {
      subject: 'Reply to Bob',
      from: emailA,
      to: 'bob@acme.test',
      messageId: '<s1@example.test>',
      date: daysAgo(5),
    });
    await appendSent(emailA, {
      subject: 'Quiet copy',
      from: emailA,
      to: 'stranger@other.test',
      bcc: 'buyer@acme.test',
      date: daysAgo(4),
    });
    await seed(emailA, 'Archive', [
      {
        subject: 'Order figures',
        from: 'Buyer <buyer@acme.test>',
        to: emailA,
        messageId: '<m1@acme.test>',
        date: daysAgo(10),
        attachments: [{ filename: 'order.pdf', content: Buffer.alloc(512, 1), contentType: 'application/pdf' }],
      },
      { subject: 'Archived unrelated', from: 'x@other.test', to: emailA, date: daysAgo(3) },
      { subject: 'Colleagues', from: 'colleague@example.test', to: 'other@example.test', date: daysAgo(2) },
    ]);
    await seed(emailB, 'INBOX', [
      { subject: 'Contact hello', from: 'ann@acme.test', to: emailB, messageId: '<m2@acme.test>', date: daysAgo(9) },
      { subject: 'Newest from buyer', from: 'buyer@acme.test', to: emailB, date: daysAgo(1) },
      // The contact's domain is stored in Unicode; the sender's client wrote it in punycode.
      { subject: 'Umlaut domain', from: 'info@xn--bcher-kva.test', to: emailB, date: daysAgo(0.5) },
    ]);
    const user = await connectedUser(app, emailA);
    ({ agent, accountId: accountA } = user);
    userId = Number(user.user.get('id'));
    const second = pageMessage((await connectMailbox(agent, emailB)).callback.text);
    accountB = Number(second.accountId);
    await waitFor(
      async () => {
        const states = (await agent.resource('mailAccounts').syncStatus()).body.data as { lastSyncAt: unknown }[];
        return states.length === 2 && states.every((s) => s.lastSyncAt);
      },
      { what: 'first sync of both mailboxes' },
    );
    customer = await createCustomer(app, {
      name: 'Acme',
      email: 'Buyer@Acme.test',
      domain: 'acme.test',
      aliases: ['sales@acme.test'],
      contacts: ['ann@acme.test', 'bob@acme.test', 'Info@Bücher.test'],
      createdById: userId,
    });
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('lists exactly the messages with the record’s addresses, once each, newest first, with where they live', async () => {
    const res = await list({});
    expect(res.status).toBe(200);
    expect(subjects(res)).toEqual([
      'Umlaut domain',
      'Newest from buyer',
      'Quiet copy',
      'Reply to Bob',
      'Alias recipient',
      'Contact hello',
      'Order figures',
    ]);
    const rows = pageOf(res).rows;
    expect(rows.every((r) => r.matched && !r.linked && r.own && r.level === 'full')).toBe(true);
    const order = rows.find((r) => r.subject === 'Order figures')!;
    expect(order.locations.map((l) => [l.mailbox, l.folderRole]).sort()).toEqual([
      [emailA, 'archive'],
      [emailA, 'inbox'],
    ]);
    expect(order).toMatchObject({
      hasAttachments: true,
      attachments: [expect.objectContaining({ filename: 'order.pdf' })],
    });
    const hello = rows.find((r) => r.subject === 'Contact hello')!;
    expect(hello.locations.map((l) => l.accountId).sort()).toEqual([accountA, accountB].sort());
  });

  it('a domain field adds every address at that domain', async () => {
    const res = await list({ domainFields: ['domain'] });
    expect(subjects(res)).toEqual([
      'Umlaut domain',
      'Newest from buyer',
      'Quiet copy',
      'Reply to Bob',
      'Alias recipient',
      'Domain only',
      'Contact hello',
      'Order figures',
    ]);
  });

  it('pages, newest first, saying whether more follow', async () => {
    const first = pageOf(await list({ pageSize: 4 }));
    const second = pageOf(await list({ pageSize: 4, page: 2 }));
    expect(first.rows.map((r) => r.subject)).toEqual([
      'Umlaut domain',
      'Newest from buyer',
      'Quiet copy',
      'Reply to Bob',
    ]);
    expect(first.hasMore).toBe(true);
    expect(second.rows.map((r) => r.subject)).toEqual(['Alias recipient', 'Contact hello', 'Order figures']);
    expect(second.hasMore).toBe(false);
  });

  it.each([
    [{ direction: 'sent' }, ['Quiet copy', 'Reply to Bob']],
    [
      { direction: 'received' },
      ['Umlaut domain', 'Newest from buyer', 'Alias recipient', 'Contact hello', 'Order figures'],
    ],
    [{ hasAttachments: true }, ['Order figures']],
    [
      { hasAttachments: false },
      ['Umlaut domain', 'Newest from buyer', 'Quiet copy', 'Reply to Bob', 'Alias recipient', 'Contact hello'],
    ],
    [{ dateFrom: daysAgo(6.5).toISOString(), dateTo: daysAgo(4.5).toISOString() }, ['Reply to Bob', 'Alias recipient']],
    [{ search: 'figures' }, ['Order figures']],
    [{ search: 'bob@acme' }, ['Reply to Bob']],
  ])('filter %j', async (filter, expected) => {
    const res = await list(filter);
    expect(res.status).toBe(200);
    expect(subjects(res)).toEqual(expected);
  });

  it('only=linked lists the mail linked by hand, only=matched the mail its fields find; both by default', async () => {
    const rowNamed = async (subject: string) => Number((await messagesNamed(subject))[0].id);
    for (const subject of ['Unrelated news', 'Order figures']) {
      const res = await agent
        .resource('mailLinks')
        .link({ values: { messageId: await rowNamed(subject), collection: 'customers', recordKey: customer } });
      expect(res.status).toBe(200);
    }
    try {
      const linked = pageOf(await list({ only: 'linked' })).rows;
      expect(linked.map((r) => [r.subject, r.linked, r.matched])).toEqual([
        ['Unrelated news', true, false],
        ['Order figures', true, true],
      ]);
      const matched = pageOf(await list({ only: 'matched' })).rows;
      expect(matched.map((r) => r.subject)).not.toContain('Unrelated news');
      expect(matched).toHaveLength(7);
      expect(matched.find((r) => r.subject === 'Order figures')?.linked).toBe(true);
      expect(subjects(await list({ only: 'both' }))).toHaveLength(8);
      expect(subjects(await list({}))).toContain('Unrelated news');
      // Without address fields, only=matched has nothing to find.
      expect(subjects(await list({ only: 'matched', addressFields: [] }))).toEqual([]);
    } finally {
      await app.db.getModel('mailLinks').destroy({ where: {} });
    }
  });

  it('"My mail" (mailMessages:list) takes the same direction: sent mail, and everything else as received', async () => {
    const mine = async (params: Record<string, unknown>) => {
      const res = await agent.resource('mailMessages').list({ pageSize: 100, ...params });
      expect(res.status).toBe(200);
      return (res.body.data as MailMessageListItem[]).map((m) => m.subject);
    };
    expect((await mine({ direction: 'sent' })).sort()).toEqual(['Quiet copy', 'Reply to Bob']);
    const all = await mine({});
    const received = await mine({ direction: 'received' });
    expect(received).toHaveLength(all.length - 2);
    expect(received).not.toContain('Reply to Bob');
    expect(received).toEqual(expect.arrayContaining(['Umlaut domain', 'Order figures', 'Colleagues']));
    expect(await mine({ direction: 'sent', accountId: accountB })).toEqual([]);
    const bad = await agent.resource('mailMessages').list({ direction: 'up' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/direction must be received or sent/);
  });

  it('excludeOwnDomain leaves out the user’s own domain, so a record of their own company is not all their mail', async () => {
    const ours = await createCustomer(app, { name: 'Us', domain: 'example.test', createdById: userId });
    const params = { filterByTk: ours, addressFields: [], domainFields: ['domain'] };
    expect(subjects(await list(params)).length).toBeGreaterThanOrEqual(4);
    expect(subjects(await list({ ...params, excludeOwnDomain: true }))).toEqual([]);
  });

  it('a member without view permission on customers gets 403; one whose data scope leaves the record out gets 404', async () => {
    const none = await userWithRole(app, {});
    const denied = await list({}, none.agent);
    expect(denied.status).toBe(403);
    expect(denied.body.errors[0].message).toMatch(/permission to view records of customers/);
    const own = await userWithRole(app, { resources: [{ name: 'customers', own: true }] });
    expect((await list({}, own.agent)).status).toBe(404);
  });

  it('addresses never come from the request: only the fields are named', async () => {
    const res = await list({ addressFields: ['name'], addresses: ['buyer@acme.test'], email: 'buyer@acme.test' });
    expect(res.status).toBe(200);
    expect(subjects(res)).toEqual([]);
  });

  it.each([
    [{ collection: 'nothingHere' }, /no collection named nothingHere/],
    [{ addressFields: ['nope'] }, /no field named nope/],
    [{ addressFields: ['contacts'] }, /names a relation/],
    [{ direction: 'sideways' }, /direction/],
    [{ only: 'everything' }, /only must be matched, linked or both/],
    [{ pageSize: 1000 }, /pageSize/],
    [{ dateFrom: 'yesterday' }, /dateFrom/],
    [{ filterByTk: undefined }, /filterByTk/],
  ])('bad input %j → 400 %s', async (params, message) => {
    const res = await list(params);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(message);
  });

  it('one of the plugin’s own collections is never a record', async () => {
    const res = await agent
      .resource('mailRecords')
      .list({ collection: 'mailAccounts', filterByTk: accountA, addressFields: ['address'] });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).not.toContain(emailA);
  });

  describe('participants leave with their messages', () => {
    it('an expunge by another client, then a sync', async () => {
      const [row] = await messagesNamed('Unrelated news');
      expect(await participantsOf([Number(row.id)])).toBeGreaterThan(0);
      const other = await otherClient(emailA);
      try {
        const lock = await other.getMailboxLock('INBOX');
        try {
          await other.messageDelete(String(row.uid), { uid: true });
        } finally {
          lock.release();
        }
      } finally {
        await other.logout().catch(() => other.close());
      }
      await syncNow(accountA);
      expect(await participantsOf([Number(row.id)])).toBe(0);
    });

    it('the user’s delete, to Trash and then for good', async () => {
      const [row] = await messagesNamed('Archived unrelated');
      expect((await agent.resource('mailMessages').delete({ filterByTk: row.id })).status).toBe(200);
      await syncNow(accountA);
      const [inTrash] = await messagesNamed('Archived unrelated');
      expect(await participantsOf([Number(inTrash.id)])).toBeGreaterThan(0);
      expect((await agent.resource('mailMessages').delete({ filterByTk: inTrash.id })).status).toBe(200);
      expect(await participantsOf([Number(row.id), Number(inTrash.id)])).toBe(0);
    });

    it('a UIDVALIDITY rebuild drops the old rows’ participants and indexes the new ones', async () => {
      const old = (await messagesNamed('Colleagues')).map((m) => Number(m.id));
      const other = await otherClient(emailA);
      try {
        await other.mailboxDelete('Archive');
        await other.mailboxCreate('Archive');
        await other.append(
          'Archive',
          Buffer.from(`From: colleague@example.test\r\nTo: ann@acme.test\r\nSubject: Colleagues\r\n\r\nx\r\n`),
        );
      } finally {
        await other.logout().catch(() => other.close());
      }
      await syncNow(accountA);
      expect(await participantsOf(old)).toBe(0);
      const rebuilt = (await messagesNamed('Colleagues')).map((m) => Number(m.id));
      expect(rebuilt).toHaveLength(1);
      expect(await participantsOf(rebuilt)).toBe(2);
      expect(subjects(await list({}))).toContain('Colleagues');
    });

    it('disconnecting a mailbox removes its participants, and its copies leave the record', async () => {
      const rows = await app.db.getModel(PARTICIPANTS_COLLECTION).count({ where: { accountId: accountB } });
      expect(rows).toBeGreaterThan(0);
      expect((await agent.resource('mailAccounts').disconnect({ filterByTk: accountB })).status).toBe(200);
      await waitFor(
        async () => (await app.db.getModel(PARTICIPANTS_COLLECTION).count({ where: { accountId: accountB } })) === 0,
        { what: 'participants of the disconnected mailbox gone' },
      );
      const res = pageOf(await list({}));
      expect(res.rows.map((r) => r.subject)).not.toEqual(expect.arrayContaining(['Newest from buyer']));
      expect(res.rows.map((r) => r.subject)).not.toEqual(expect.arrayContaining(['Umlaut domain']));
      const hello = res.rows.find((r) => r.subject === 'Contact hello')!;
      expect(hello.locations.map((l) => l.accountId)).toEqual([accountA]);
    });
  });
});
