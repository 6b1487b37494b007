/**
 * Background body text indexing of a seeded 10,000-message Inbox through the plugin's indexer (TextIndexer.batch
 * until caught up, without its pauses: the indexer's own cost) to `indexedText`, against raw imapflow fetching the
 * same text parts (BODYSTRUCTURE, then BODY.PEEK[part]<0.64 KB> grouped by part) and keeping nothing.
 */
import { Op } from '@nocobase/database';
import type { ImapFlow } from 'imapflow';
import { seedMailbox } from '../../test/mail-stack/client';
import { DEFAULT_INDEXED_TEXT_BYTES } from '../../src/server/messages/indexed-text';
import { TextIndexStore } from '../../src/server/store/text-index-store';
import { DEFAULT_TEXT_INDEX_BATCH, DEFAULT_TEXT_INDEX_PAUSE_MS, TextIndexer } from '../../src/server/sync/text-indexer';
import { toSequenceSet } from '../../src/server/transport/imap/uid-set';
import { benchApp, connectedUser, engineSync, WINDOW_START } from '../lib/bench-app';
import { benchImapClient, closeClient } from '../lib/imap';
import type { BenchRow } from '../lib/result';
import { fmtMs, median, timed } from '../lib/stats';
import { textPart } from './sync';

const MESSAGES = Number(process.env.BENCH_TEXT_INDEX_MESSAGES || 10_000);
const RUNS = Number(process.env.BENCH_TEXT_INDEX_RUNS || 3);
/** BENCH_TEXT_INDEX_BATCH tries another batch size than the indexer's default. */
const BATCH = Number(process.env.BENCH_TEXT_INDEX_BATCH) || DEFAULT_TEXT_INDEX_BATCH;

async function rawTextParts(client: ImapFlow): Promise<number> {
  const lock = await client.getMailboxLock('INBOX', { readOnly: true });
  try {
    const byPart = new Map<string, number[]>();
    let n = 0;
    for await (const msg of client.fetch('1:*', { uid: true, bodyStructure: true })) {
      n++;
      const part = textPart(msg.bodyStructure);
      if (part) byPart.set(part, [...(byPart.get(part) ?? []), msg.uid]);
    }
    for (const [part, uids] of byPart) {
      const q = { uid: true, bodyParts: [{ key: part, start: 0, maxLength: DEFAULT_INDEXED_TEXT_BYTES }] };
      for await (const msg of client.fetch(toSequenceSet(uids), q, { uid: true })) void msg;
    }
    return n;
  } finally {
    lock.release();
  }
}

export async function textIndexScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const seeded = await seedMailbox(user.email, { folders: { INBOX: MESSAGES } });
    const sync = await benchImapClient(user.email, 'full');
    await engineSync(reading, sync, user.accountId);
    await closeClient(sync);
    const model = app.db.getModel('mailMessages');
    const indexed = () => model.count({ where: { accountId: user.accountId, textIndexedAt: { [Op.ne]: null } } });
    const indexer = new TextIndexer({
      store: new TextIndexStore(app.db, reading.events),
      folders: reading.folders,
      states: reading.states,
      userBusy: () => false,
      options: { enabled: true, batchSize: BATCH },
    });

    const engineMs: number[] = [];
    const rawMs: number[] = [];
    let batches = 0;
    for (let run = 0; run < RUNS; run++) {
      const raw = await benchImapClient(user.email, 'full');
      const r = await timed(() => rawTextParts(raw));
      await closeClient(raw);
      if (r.value !== MESSAGES) throw new Error(`raw fetch saw ${r.value} messages, expected ${MESSAGES}`);
      rawMs.push(r.ms);

      await model.update({ indexedText: null, textIndexedAt: null }, { where: { accountId: user.accountId } });
      const client = await benchImapClient(user.email, 'full');
      const e = await timed(async () => {
        let n = 0;
        while (await indexer.batch(client, user.accountId, WINDOW_START)) n++;
        return n;
      });
      await closeClient(client);
      const done = await indexed();
      if (done !== MESSAGES) throw new Error(`the indexer filled ${done} rows, expected ${MESSAGES}`);
      engineMs.push(e.ms);
      batches = e.value;
    }
    const eMed = median(engineMs);
    const rMed = median(rawMs);
    const perSecond = (ms: number) => Math.round(MESSAGES / (ms / 1000)).toLocaleString('en');
    return [
      {
        name: `Background text indexing, ${MESSAGES.toLocaleString('en')}-message Inbox → indexedText (SQLite; batches of ${BATCH}, ${batches} batches, no pause; seeded in ${(seeded.ms / 1000).toFixed(1)} s)`,
        value: `${fmtMs(eMed)} (${perSecond(eMed)} msg/s)`,
        reference: `raw imapflow ${fmtMs(rMed)} (${perSecond(rMed)} msg/s); ratio ${(eMed / rMed).toFixed(2)}×`,
        runs: `median of ${RUNS} each, alternating`,
      },
      {
        name: `  same at the default pace (a ${DEFAULT_TEXT_INDEX_PAUSE_MS} ms pause after each batch, when push and user actions go first)`,
        value: `${fmtMs(eMed + batches * DEFAULT_TEXT_INDEX_PAUSE_MS)} (${perSecond(eMed + batches * DEFAULT_TEXT_INDEX_PAUSE_MS)} msg/s), computed`,
        runs: 'from the figure above',
      },
    ];
  } finally {
    await app.destroy();
  }
}
