/**
 * "Send email" on a record, against the real app and mail stack: a send that names a record (`values.record`)
 * reaches the recipient and is linked to that record by its Message-ID, so the record's mail lists it once the Sent
 * copy is synced; a record the sender cannot view (no permission, outside their data scope, missing) or mail data is
 * refused with a 4xx before anything is stored or sent.
 */
import type { MockServer } from '@nocobase/test';
import { connectMailbox, pageMessage } from '../../../../test/helpers/mail-app';
import { createCustomer, defineCustomers, userWithRole } from '../../../../test/helpers/records-app';
import { readSink } from '../../../../test/mail-stack/client';
import { newMailboxAddress } from '../../../../test/mail-stack/client';
import type { RecordMessageItem } from '../../../shared/mail-records';
import { sendingApp, startSync, waitFor } from './helpers/sending-app';

jest.setTimeout(300_000);

type Agent = ReturnType<MockServer['agent']>;

describe('mailMessages:send with a record to link to', () => {
  let app: MockServer;
  let sam: { agent: Agent; userId: number; email: string; accountId: number };
  let acme: number;
  let theirs: number;
  let ledger: string;
  const tag = Date.now().toString(36);
  const acmeEmail = `acme-${tag}@customer.test`;
  const theirEmail = `theirs-${tag}@customer.test`;

  const send = (values: Record<string, unknown>) =>
    sam.agent.resource('mailMessages').send({ values: { accountId: sam.accountId, ...values } });
  /** ACME's mail as Sam sees it on the record, once his mailbox (its Sent Items too) is synced. */
  const acmeMail = async (): Promise<RecordMessageItem[]> => {
    await sam.agent.resource('mailAccounts').sync({ filterByTk: sam.accountId });
    const list = await sam.agent
      .resource('mailRecords')
      .list({ collection: 'customers', filterByTk: acme, pageSize: 50 });
    expect(list.status).toBe(200);
    return (list.body.data.rows ?? list.body.data) as RecordMessageItem[];
  };
  const counts = async () => ({
    outbox: await app.db.getModel('mailOutbox').count(),
    links: await app.db.getModel('mailLinks').count(),
  });

  beforeAll(async () => {
    ({ app } = await sendingApp());
    await defineCustomers(app);
    app.db.collection({
      name: 'ledgers',
      createdBy: true,
      asStrategyResource: true,
      fields: [{ name: 'name', type: 'string' }],
    } as never);
    await app.db.sync();
    ledger = String((await app.db.getRepository('ledgers').create({ values: { name: 'Secret' } })).get('id'));

    // Sam views his own customers only (NocoBase's "Own records" scope), and no ledgers.
    const seller = await userWithRole(app, { resources: [{ name: 'customers', own: true }] });
    const email = newMailboxAddress('sam');
    const result = pageMessage((await connectMailbox(seller.agent, email)).callback.text);
    if (!result.ok || !result.accountId) throw new Error(`connect failed: ${JSON.stringify(result)}`);
    sam = { agent: seller.agent, userId: seller.userId, email, accountId: Number(result.accountId) };
    acme = await createCustomer(app, { name: 'ACME', email: acmeEmail, createdById: sam.userId });
    theirs = await createCustomer(app, { name: 'Theirs', email: theirEmail });
    startSync(app);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('sends to the record, links the message to it, and the record lists it', async () => {
    const res = await send({
      to: acmeEmail,
      subject: `Offer ${tag}`,
      html: '<p>Our offer</p>',
      record: { collection: 'customers', recordKey: acme },
    });
    expect(res.status).toBe(200);
    const messageId = res.body.data.messageId as string;

    const [got] = await waitFor(() => readSink({ to: acmeEmail }).then((l) => (l.length ? l : null)), {
      what: 'the message at the sink',
    });
    expect(got.parsed.messageId).toBe(messageId);
    expect(got.parsed.subject).toBe(`Offer ${tag}`);

    expect(await app.db.getModel('mailLinks').findAll({ raw: true })).toEqual([
      expect.objectContaining({
        collectionName: 'customers',
        recordKey: String(acme),
        kind: 'message',
        mailKey: messageId,
        accountId: sam.accountId,
        mailbox: sam.email.toLowerCase(),
        userId: sam.userId,
      }),
    ]);

    // The Sent copy, once synced, is the record's mail (linked; no address fields asked for, so not matched).
    const rows = await waitFor(
      async () => {
        const items = await acmeMail();
        return items.length ? items : null;
      },
      { what: 'the sent message on the record', timeoutMs: 60_000 },
    );
    expect(rows.map((r) => [r.messageId, r.linked])).toEqual([[messageId, true]]);
  });

  it('links a draft saved from the record, so the message sent from it later is on the record', async () => {
    const draft = await sam.agent.resource('mailMessages').saveDraft({
      values: {
        accountId: sam.accountId,
        to: acmeEmail,
        subject: `Draft ${tag}`,
        html: '<p>Later</p>',
        record: { collection: 'customers', recordKey: acme },
      },
    });
    expect(draft.status).toBe(200);
    const messageId = draft.body.data.messageId as string;
    const links = await app.db.getModel('mailLinks').findAll({ where: { mailKey: messageId }, raw: true });
    expect(links).toEqual([expect.objectContaining({ collectionName: 'customers', recordKey: String(acme) })]);

    // Sent from the Drafts later, without the record: the same Message-ID, so the same link.
    const sent = await send({
      draftId: draft.body.data.id,
      to: acmeEmail,
      subject: `Draft ${tag}`,
      html: '<p>Now</p>',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.data.messageId).toBe(messageId);
    const rows = await waitFor(
      async () => {
        const found = (await acmeMail()).filter(
          (r) => r.messageId === messageId && r.locations.some((l) => l.folderRole === 'sent'),
        );
        return found.length ? found : null;
      },
      { what: 'the sent draft on the record', timeoutMs: 60_000 },
    );
    expect(rows[0].linked).toBe(true);
  });

  it('refuses a draft naming a record outside the sender’s data scope, and stores nothing', async () => {
    const before = await counts();
    const res = await sam.agent.resource('mailMessages').saveDraft({
      values: {
        accountId: sam.accountId,
        to: theirEmail,
        subject: `Refused draft ${tag}`,
        record: { collection: 'customers', recordKey: theirs },
      },
    });
    expect(res.status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['a record outside the sender’s data scope', 404, () => ({ collection: 'customers', recordKey: theirs })],
    ['a missing record', 404, () => ({ collection: 'customers', recordKey: 999_999 })],
    ['a collection the sender may not view', 403, () => ({ collection: 'ledgers', recordKey: ledger })],
    ['an unknown collection', 400, () => ({ collection: 'nothing_here', recordKey: 1 })],
    ['mail data', 400, () => ({ collection: 'mailOutbox', recordKey: 1 })],
    ['a malformed reference', 400, () => 'customers/1'],
  ])('refuses %s with a %i and sends nothing', async (_what, status, record) => {
    const before = await counts();
    const res = await send({ to: theirEmail, subject: `Refused ${tag}`, html: '<p>x</p>', record: record() });
    expect(res.status).toBe(status);
    expect(typeof res.body.errors?.[0]?.message).toBe('string');
    expect(await counts()).toEqual(before);
    expect(await readSink({ to: theirEmail })).toEqual([]);
  });
});
