/**
 * Initial sync of a seeded 10,000-message Inbox through the plugin's engine to stored rows, against raw imapflow
 * fetching the same items with no storage (same run, alternating); then the no-change resync on both capability
 * profiles, with the IMAP commands it sends.
 */
import type { ImapFlow, MessageStructureObject } from 'imapflow';
import { seedMailbox } from '../../test/mail-stack/client';
import { SNIPPET_FETCH_BYTES } from '../../src/server/messages/snippet';
import { toSequenceSet } from '../../src/server/transport/imap/uid-set';
import { benchApp, connectedUser, engineSync, forgetAccount } from '../lib/bench-app';
import { benchImapClient, closeClient, CommandCounter, ImapProfile, newCounter } from '../lib/imap';
import type { BenchRow } from '../lib/result';
import { fmtMs, median, timed } from '../lib/stats';

const MESSAGES = Number(process.env.BENCH_SYNC_MESSAGES || 10_000);
const RUNS = Number(process.env.BENCH_SYNC_RUNS || 3);
const RESYNC_RUNS = 7;

/** The first text leaf, as a list row's snippet needs it (plain preferred, like the engine). */
export function textPart(node: MessageStructureObject | undefined): string | null {
  if (!node) return null;
  const leaves: MessageStructureObject[] = [];
  const walk = (n: MessageStructureObject) => (n.childNodes?.length ? n.childNodes.forEach(walk) : leaves.push(n));
  walk(node);
  const isText = (n: MessageStructureObject, t: string) =>
    n.type?.toLowerCase() === t && n.disposition?.toLowerCase() !== 'attachment';
  const pick = leaves.find((n) => isText(n, 'text/plain')) ?? leaves.find((n) => isText(n, 'text/html'));
  return pick ? (pick.part ?? '1') : null;
}

/**
 * What a client that only lists would fetch: the engine's list query for every message, then the first bytes of
 * each text part (grouped by part number), with nothing converted or stored.
 */
async function rawFetch(client: ImapFlow): Promise<number> {
  const lock = await client.getMailboxLock('INBOX', { readOnly: true });
  try {
    const byPart = new Map<string, number[]>();
    let n = 0;
    const query = {
      uid: true,
      flags: true,
      envelope: true,
      internalDate: true,
      size: true,
      bodyStructure: true,
      headers: ['references'],
    };
    for await (const msg of client.fetch('1:*', query)) {
      n++;
      const part = textPart(msg.bodyStructure);
      if (part) byPart.set(part, [...(byPart.get(part) ?? []), msg.uid]);
    }
    for (const [part, uids] of byPart) {
      const q = { uid: true, bodyParts: [{ key: part, start: 0, maxLength: SNIPPET_FETCH_BYTES }] };
      for await (const msg of client.fetch(toSequenceSet(uids), q, { uid: true })) void msg;
    }
    return n;
  } finally {
    lock.release();
  }
}

export async function syncScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const seeded = await seedMailbox(user.email, { folders: { INBOX: MESSAGES } });
    const count = () => app.db.getModel('mailMessages').count({ where: { accountId: user.accountId } });

    const engineMs: number[] = [];
    const rawMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const raw = await benchImapClient(user.email, 'full');
      const r = await timed(() => rawFetch(raw));
      await closeClient(raw);
      if (r.value !== MESSAGES) throw new Error(`raw fetch saw ${r.value} messages, expected ${MESSAGES}`);
      rawMs.push(r.ms);

      await forgetAccount(reading, user.accountId);
      const client = await benchImapClient(user.email, 'full');
      const e = await timed(() => engineSync(reading, client, user.accountId));
      await closeClient(client);
      const stored = await count();
      if (stored !== MESSAGES) throw new Error(`engine stored ${stored} rows, expected ${MESSAGES}`);
      engineMs.push(e.ms);
    }
    // Once more with the commands counted (the counting logger is kept out of the timed runs): round trips are
    // what a first sync pays most for against Outlook, tens of milliseconds away.
    await forgetAccount(reading, user.accountId);
    const syncCounter = newCounter();
    const counted = await benchImapClient(user.email, 'full', syncCounter);
    await engineSync(reading, counted, user.accountId);
    await closeClient(counted);
    const rawCounter = newCounter();
    const rawCounted = await benchImapClient(user.email, 'full', rawCounter);
    await rawFetch(rawCounted);
    await closeClient(rawCounted);
    const eMed = median(engineMs);
    const rMed = median(rawMs);
    const ratio = eMed / rMed;

    const rows: BenchRow[] = [
      {
        name: `Initial sync, ${MESSAGES.toLocaleString('en')}-message Inbox → stored rows (SQLite; seeded in ${(seeded.ms / 1000).toFixed(1)} s)`,
        value: `${fmtMs(eMed)} (${Math.round(MESSAGES / (eMed / 1000)).toLocaleString('en')} msg/s), ${fetches(syncCounter)}`,
        reference: `raw imapflow ${fmtMs(rMed)} (${Math.round(MESSAGES / (rMed / 1000)).toLocaleString('en')} msg/s), ${fetches(rawCounter)}; ratio ${ratio.toFixed(2)}×`,
        target: '≤ 2× raw',
        met: ratio <= 2,
        runs: `median of ${RUNS} each, alternating`,
      },
    ];

    for (const profile of ['full', 'outlook'] as ImapProfile[]) {
      // A first sync over this profile, so the cursor is the one this profile's resync starts from.
      await forgetAccount(reading, user.accountId);
      const first = await benchImapClient(user.email, profile);
      await engineSync(reading, first, user.accountId);
      await closeClient(first);

      const counter: CommandCounter = newCounter();
      const client = await benchImapClient(user.email, profile, counter);
      const times: number[] = [];
      const commands: number[] = [];
      let names: string[] = [];
      let folders = 0;
      for (let i = 0; i < RESYNC_RUNS; i++) {
        counter.reset();
        const t = await timed(() => engineSync(reading, client, user.accountId));
        if (t.value.changed) throw new Error(`no-change resync reported a change (${profile})`);
        times.push(t.ms);
        commands.push(counter.count);
        names = [...counter.names];
        folders = t.value.folders;
      }
      await closeClient(client);
      const ms = median(times);
      rows.push({
        name: `No-change resync, ${profile === 'full' ? 'CONDSTORE profile (stack.imap)' : 'Outlook profile, flags scan (stack.imapOutlook)'}, ${folders} folders, ${MESSAGES.toLocaleString('en')} in Inbox`,
        value: `${fmtMs(ms)}, ${median(commands)} IMAP commands (${summarize(names)})`,
        target: '< 1 s',
        met: ms < 1000,
        runs: `median of ${RESYNC_RUNS}`,
      });
    }
    return rows;
  } finally {
    await app.destroy();
  }
}

/** `14 FETCH commands` */
function fetches(counter: CommandCounter): string {
  return `${counter.names.filter((n) => n.endsWith('FETCH')).length} FETCH commands`;
}

/** `STATUS ×6, UID FETCH ×2` */
function summarize(names: string[]): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, c]) => (c > 1 ? `${n} ×${c}` : n)).join(', ');
}
