/**
 * A business record's mail (`mailRecords:list`, first page of 50) among 100,000 messages in 5 mailboxes of one user,
 * against the plain mailbox list (`mailMessages:list`, page of 50 newest first across the same mailboxes) in the
 * same run. The customer record has 3 addresses; one message in 250 is theirs. Rows go in through the store
 * (MessageStore.insert), so the participants index is written as the sync writes it.
 */
import { connectMailbox, pageMessage } from '../../test/helpers/mail-app';
import { createCustomer, defineCustomers } from '../../test/helpers/records-app';
import { newMailboxAddress } from '../../test/mail-stack/client';
import type { MessageRecord } from '../../src/server/messages/message-record';
import { benchApp, connectedUser, engineSync, listeningAgent } from '../lib/bench-app';
import { benchImapClient, closeClient } from '../lib/imap';
import type { BenchRow } from '../lib/result';
import { row } from '../lib/large-folder';
import { fmtMs, percentile, samplesOf, timed } from '../lib/stats';

const ROWS = Number(process.env.BENCH_RECORDS_ROWS || 100_000);
const MAILBOXES = 5;
const SAMPLES = 60;
const WARMUP = 5;
const CUSTOMER = ['buyer@customer.example', 'accounts@customer.example', 'ceo@customer.example'];
/** One message in this many is the customer's (from one of its addresses). */
const CUSTOMER_EVERY = 250;

export async function recordsScenario(): Promise<BenchRow[]> {
  const postgres = process.env.DB_DIALECT === 'postgres';
  const dialect = postgres ? 'PostgreSQL' : 'SQLite (file)';
  const { app, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const mailboxes = [{ email: user.email, accountId: user.accountId }];
    while (mailboxes.length < MAILBOXES) {
      const email = newMailboxAddress('records');
      const result = pageMessage((await connectMailbox(user.agent, email)).callback.text);
      if (!result.ok) throw new Error(`connect failed: ${JSON.stringify(result)}`);
      mailboxes.push({ email, accountId: Number(result.accountId) });
    }
    const inboxes: Array<{ accountId: number; folderId: number }> = [];
    for (const m of mailboxes) {
      const client = await benchImapClient(m.email, 'full');
      await engineSync(reading, client, m.accountId);
      await closeClient(client);
      const inbox = (await reading.folders.list(m.accountId)).find((f) => f.role === 'inbox');
      if (!inbox) throw new Error('no Inbox after the first sync');
      inboxes.push({ accountId: m.accountId, folderId: inbox.id });
    }

    const now = Date.now();
    const perMailbox = Math.ceil(ROWS / MAILBOXES);
    const insert = await timed(async () => {
      for (const [k, inbox] of inboxes.entries()) {
        for (let start = 0; start < perMailbox; start += 1000) {
          const batch = Array.from({ length: Math.min(1000, perMailbox - start) }, (_, j) => {
            const i = k * perMailbox + start + j;
            const r = { ...row(i, inbox.accountId, inbox.folderId, now), uid: start + j + 1 };
            if (i % CUSTOMER_EVERY === 0) r.from = [{ name: 'Customer', address: CUSTOMER[i % CUSTOMER.length] }];
            return r as unknown as MessageRecord;
          });
          await reading.messages.insert(batch);
        }
      }
    });
    // As list.ts says: a live table this size has been vacuumed and analysed. One statement each (VACUUM refuses
    // to run inside the transaction a multi-statement query makes).
    if (postgres)
      for (const table of ['mailMessages', 'mailParticipants'])
        await app.db.sequelize.query(`VACUUM ANALYZE "${table}"`);

    await defineCustomers(app);
    const customer = await createCustomer(app, {
      name: 'Customer',
      email: CUSTOMER[0],
      aliases: CUSTOMER.slice(1),
      createdById: Number(user.user.id),
    });
    const agent = await listeningAgent(app, user.user);
    const records = async () => {
      const res = await agent.resource('mailRecords').list({
        collection: 'customers',
        filterByTk: customer,
        addressFields: ['email', 'aliases'],
        pageSize: 50,
      });
      if (res.status !== 200) throw new Error(`mailRecords:list: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as {
        data: Array<{ matched: boolean; from: Array<{ address: string }> }>;
        meta: { hasMore: boolean };
      };
    };
    const plain = async () => {
      const res = await agent.resource('mailMessages').list({ pageSize: 50 });
      if (res.status !== 200) throw new Error(`mailMessages:list: HTTP ${res.status}`);
      return res.body;
    };
    const first = await records();
    if (
      first.data.length !== 50 ||
      !first.meta.hasMore ||
      !first.data.every((m) => m.matched && CUSTOMER.includes(m.from[0]?.address))
    )
      throw new Error(
        `the record's first page is not 50 of the customer's messages: ${JSON.stringify(first).slice(0, 300)}`,
      );

    // Alternating runs, so a change in machine load weighs on both alike.
    const recordSamples: number[] = [];
    const plainSamples: number[] = [];
    for (let round = 0; round < 3; round++) {
      recordSamples.push(...(await samplesOf(records, { count: SAMPLES, warmup: WARMUP })));
      plainSamples.push(...(await samplesOf(plain, { count: SAMPLES, warmup: WARMUP })));
    }
    const p = (s: number[]) => `p50 ${fmtMs(percentile(s, 50))}, p95 ${fmtMs(percentile(s, 95))}`;
    const ratio = percentile(recordSamples, 95) / percentile(plainSamples, 95);
    const n = ROWS.toLocaleString('en');
    const matches = Math.ceil(ROWS / CUSTOMER_EVERY).toLocaleString('en');
    return [
      {
        name: `mailRecords:list, first page of 50, a record with 3 addresses (${matches} matches) among ${n} messages in ${MAILBOXES} mailboxes, ${dialect}, over HTTP`,
        value: p(recordSamples),
        reference: `mailMessages:list, page of 50 newest first across the same mailboxes, ${p(plainSamples)}; p95 ratio ${ratio.toFixed(2)}×`,
        target: 'p95 ≤ 2× mailMessages:list',
        met: ratio <= 2,
        runs: `${SAMPLES * 3} requests each, alternating in 3 rounds, after ${WARMUP} warm-up`,
      },
      {
        name: `  storing the ${n} messages with their participants (MessageStore.insert, 1,000 a call), ${dialect}`,
        value: fmtMs(insert.ms),
        runs: '1',
      },
    ];
  } finally {
    await app.destroy();
  }
}
