/**
 * A bulk send from a table selection, against the real app and mail stack: one message per record (never one
 * message to all), each linked to its record, sent in the background no faster than the mailbox's rate; a request
 * with any bad message or a record the sender may not view is refused whole, before anything is stored.
 */
import type { MockServer } from '@nocobase/test';
import { connectMailbox, pageMessage } from '../../../../test/helpers/mail-app';
import { createCustomer, defineCustomers, userWithRole } from '../../../../test/helpers/records-app';
import { newMailboxAddress, readSink } from '../../../../test/mail-stack/client';
import type { OutboxItemView } from '../../../shared/mail-sending-types';
import type { MailSending } from '../register';
import { sendingApp, waitFor } from './helpers/sending-app';

jest.setTimeout(300_000);

type Agent = ReturnType<MockServer['agent']>;
/** Two attempts per 3 s window: the third message of a batch must wait for the window to pass. */
const PER_WINDOW = 2;
const WINDOW_MS = 3_000;

describe('mailMessages:sendBulk: one message per record, at the mailbox’s rate', () => {
  let app: MockServer;
  let sending: MailSending;
  let sam: { agent: Agent; userId: number; accountId: number };
  const tag = Date.now().toString(36);
  const emails = [1, 2, 3].map((n) => `bulk-${n}-${tag}@customer.test`);
  const customers: number[] = [];
  let theirs: number;

  const sendBulk = (items: unknown) =>
    sam.agent.resource('mailMessages').sendBulk({ values: { accountId: sam.accountId, items } });
  const item = (i: number) => ({
    to: emails[i],
    subject: `News for customer ${i + 1} ${tag}`,
    html: `<p>Dear customer ${i + 1}</p>`,
    record: { collection: 'customers', recordKey: customers[i] },
  });
  const outboxCount = () => app.db.getModel('mailOutbox').count();

  beforeAll(async () => {
    ({ app } = await sendingApp({}, { sending: { bulkPerWindow: PER_WINDOW, bulkWindowMs: WINDOW_MS } }));
    await defineCustomers(app);
    const seller = await userWithRole(app, { resources: [{ name: 'customers', own: true }] });
    const email = newMailboxAddress('bulk');
    const result = pageMessage((await connectMailbox(seller.agent, email)).callback.text);
    if (!result.ok || !result.accountId) throw new Error(`connect failed: ${JSON.stringify(result)}`);
    sam = { agent: seller.agent, userId: seller.userId, accountId: Number(result.accountId) };
    for (const [i, address] of emails.entries())
      customers.push(await createCustomer(app, { name: `Customer ${i + 1}`, email: address, createdById: sam.userId }));
    theirs = await createCustomer(app, { name: 'Theirs', email: `theirs-${tag}@customer.test` });
    sending = app.container.get('mailbridge.sending') as MailSending;
    sending.bulk.start();
  });
  afterAll(async () => {
    await sending?.bulk.stop();
    await app?.destroy();
  });

  it('sends one message to each record, links each to its record, and keeps to the rate', async () => {
    const res = await sendBulk([item(0), item(1), item(2)]);
    expect(res.status).toBe(202);
    const { batchId, items } = res.body.data as { batchId: string; items: OutboxItemView[] };
    expect(items.map((i) => [i.state, i.batchId, i.to.map((t) => t.address)])).toEqual(
      emails.map((e) => ['queued', batchId, [e]]),
    );

    const progress = async () => {
      const list = await sam.agent.resource('mailOutbox').list({ batchId, pageSize: 200 });
      expect(list.status).toBe(200);
      return list.body.data as OutboxItemView[];
    };
    const done = await waitFor(
      async () => {
        const rows = await progress();
        return rows.every((r) => r.state === 'sent') ? rows : null;
      },
      { what: 'the whole batch sent', timeoutMs: 60_000 },
    );
    expect(done.map((r) => r.id)).toEqual(items.map((i) => i.id));

    // Three separate messages, each to its own customer alone.
    for (const [i, address] of emails.entries()) {
      const got = await waitFor(() => readSink({ to: address }).then((l) => (l.length ? l : null)), {
        what: `the message to ${address}`,
      });
      expect(got).toHaveLength(1);
      expect(got[0].parsed.subject).toBe(`News for customer ${i + 1} ${tag}`);
      expect(got[0].parsed.to).toMatchObject({ value: [{ address }] });
    }
    const links = (await app.db.getModel('mailLinks').findAll({ raw: true })) as unknown as Array<{
      recordKey: string;
      mailKey: string;
    }>;
    expect(links.map((l) => [l.recordKey, l.mailKey]).sort()).toEqual(
      done.map((r, i) => [String(customers[i]), r.messageId]).sort(),
    );

    // No more than two attempts in any 3 s: the third went out a window after the first.
    const attempts = done.map((r) => Date.parse(r.lastAttemptAt as string)).sort((a, b) => a - b);
    expect(attempts[2] - attempts[0]).toBeGreaterThanOrEqual(WINDOW_MS - 50);
  });

  it.each([
    ['no messages', () => [], 400, /items must list 1 to 200 messages/],
    ['too many messages', () => Array.from({ length: 201 }, () => item(0)), 400, /items must list 1 to 200/],
    ['a message that is not an object', () => [item(0), 'x'], 400, /Message 2 must be/],
    ['a bad address in the second message', () => [item(0), { ...item(1), to: 'not an address' }], 400, /Message 2:/],
    ['no recipient in the first message', () => [{ ...item(0), to: [] }], 400, /Message 1:/],
    [
      'a record outside the sender’s data scope',
      () => [item(0), { ...item(1), record: { collection: 'customers', recordKey: theirs } }],
      404,
      /./,
    ],
  ])('refuses %s whole, storing nothing', async (_what, items, status, message) => {
    const before = await outboxCount();
    const links = await app.db.getModel('mailLinks').count();
    const res = await sendBulk(items());
    expect(res.status).toBe(status);
    expect(res.body.errors?.[0]?.message).toMatch(message);
    expect(await outboxCount()).toBe(before);
    expect(await app.db.getModel('mailLinks').count()).toBe(links);
  });
});
