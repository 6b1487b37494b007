/**
 * Opening a message through `mailMessages:get` over HTTP: the first open (IMAP fetch, parse, sanitise, cache) and
 * a later, cached one; raw reference: imapflow downloading the same message and mailparser parsing it.
 */
import { simpleParser } from 'mailparser';
import { seedMailbox } from '../../test/mail-stack/client';
import { benchApp, connectedUser, engineSync, listeningAgent } from '../lib/bench-app';
import { benchImapClient, closeClient } from '../lib/imap';
import type { BenchRow } from '../lib/result';
import { fmtMs, median, timed } from '../lib/stats';

const MESSAGES = 15;

export async function openScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const agent = await listeningAgent(app, user.user);
    await seedMailbox(user.email, { folders: { INBOX: 60 }, seed: 7 });
    const client = await benchImapClient(user.email, 'full');
    await engineSync(reading, client, user.accountId);
    const rows = (await app.db.getModel('mailMessages').findAll({
      where: { accountId: user.accountId },
      order: [['uid', 'ASC']],
      limit: MESSAGES,
      raw: true,
    })) as unknown as Array<{ id: number; uid: number }>;

    const get = (id: number) => async () => {
      const res = await agent.resource('mailMessages').get({ filterByTk: id, markRead: false });
      if (res.status !== 200 || !(res.body.data.text || res.body.data.html))
        throw new Error(`get ${id}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    };
    const first: number[] = [];
    const cached: number[] = [];
    const raw: number[] = [];
    // The pooled connection is opened by the first request; open one message before timing so that login is not
    // counted as "opening a message".
    await get(rows[rows.length - 1].id)();
    const lock = await client.getMailboxLock('INBOX', { readOnly: true });
    try {
      for (const r of rows.slice(0, MESSAGES - 1)) {
        first.push((await timed(get(r.id))).ms);
        cached.push((await timed(get(r.id))).ms);
        raw.push(
          (
            await timed(async () => {
              const d = await client.download(String(r.uid), undefined, { uid: true });
              if (!d.content) throw new Error(`no source for UID ${r.uid}`);
              await simpleParser(d.content);
            })
          ).ms,
        );
      }
    } finally {
      lock.release();
      await closeClient(client);
    }
    const n = first.length;
    return [
      {
        name: 'Opening a message (mailMessages:get over HTTP), first open: IMAP fetch + parse + sanitise + cache',
        value: fmtMs(median(first)),
        reference: `imapflow download + mailparser ${fmtMs(median(raw))}; ratio ${(median(first) / median(raw)).toFixed(2)}×`,
        runs: `median of ${n} messages`,
      },
      { name: '  same message opened again (cached)', value: fmtMs(median(cached)), runs: `median of ${n}` },
    ];
  } finally {
    await app.destroy();
  }
}
