/**
 * Resync of an Inbox of 1,000,000 messages on the Outlook profile (no CONDSTORE: a flags scan over the whole
 * folder), with every message both on the server and stored, against raw imapflow fetching the same flags.
 *
 * Seeding is direct, as fast as it stays real: the server's maildir gets its files as hard links to a thousand
 * distinct messages (Dovecot indexes them on first access like any delivered mail), and the store gets its rows by
 * multi-row INSERT, with the UIDs and flags Dovecot assigned, and the Inbox's cursor as a first sync would have
 * saved it. The timed runs are the resync a node makes every few minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { dovecotPaths, mailOwner } from '../../test/mail-stack/dovecot';
import { getStack } from '../../test/mail-stack/client';
import { insertNewRows } from '../../src/server/db/insert-new-rows';
import { syncAccount } from '../../src/server/sync/account-sync';
import { benchApp, connectedUser } from '../lib/bench-app';
import { benchImapClient, closeClient, newCounter } from '../lib/imap';
import { peakRssGrowth } from '../lib/peak-rss';
import type { BenchRow } from '../lib/result';
import { fmtMs, median, timed } from '../lib/stats';

const MESSAGES = Number(process.env.BENCH_HUGE_MESSAGES || 1_000_000);
const RUNS = Number(process.env.BENCH_HUGE_RUNS || 3);
const DISTINCT = 1000;
const RECEIVED = new Date('2020-01-15T10:00:00Z');
const WINDOW_START = new Date(Date.now() - 86_400_000);

function rawMessage(i: number): Buffer {
  return Buffer.from(
    [
      `From: Sender ${i} <sender${i}@partner.example>`,
      'To: Me <me@example.test>',
      `Subject: Archived message ${i}`,
      `Date: ${RECEIVED.toUTCString()}`,
      `Message-ID: <huge-${i}@example.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Archived message number ${i}.`,
      '',
    ].join('\r\n'),
  );
}

/**
 * Fills the mailbox's Inbox maildir with MESSAGES files, all \Seen, hard-linked to DISTINCT sources. Linking is
 * asynchronous in slices, so the event loop keeps serving sockets (a keep-alive connection to the identity
 * stand-in closed meanwhile must be noticed before it is reused).
 */
async function fillMaildir(email: string): Promise<void> {
  const home = path.join(dovecotPaths(getStack().stateDir).mailRoot, email.toLowerCase());
  const cur = path.join(home, 'Maildir', 'cur');
  if (!fs.existsSync(cur)) throw new Error(`no maildir at ${cur}: log in once first`);
  const sources = fs.mkdtempSync(path.join(home, 'huge-sources-'));
  const { uid, gid } = mailOwner();
  const seconds = Math.floor(RECEIVED.getTime() / 1000);
  try {
    const files = Array.from({ length: DISTINCT }, (_, i) => {
      const file = path.join(sources, `m${i}`);
      const raw = rawMessage(i);
      fs.writeFileSync(file, raw);
      fs.chownSync(file, uid, gid);
      // Dovecot takes a maildir message's received date (INTERNALDATE) from its mtime.
      fs.utimesSync(file, RECEIVED, RECEIVED);
      return { file, size: raw.length };
    });
    for (let start = 0; start < MESSAGES; start += DISTINCT) {
      const slice = files.slice(0, Math.min(DISTINCT, MESSAGES - start));
      await Promise.all(
        slice.map((src, k) =>
          fs.promises.link(src.file, path.join(cur, `${seconds}.M${start + k}P1.huge,S=${src.size}:2,S`)),
        ),
      );
    }
  } finally {
    fs.rmSync(sources, { recursive: true, force: true });
  }
}

/** The stored rows, as a first sync would have written them: one per UID, read. */
async function storeRows(
  app: Awaited<ReturnType<typeof benchApp>>['app'],
  accountId: number,
  folderId: number,
  uids: number[],
) {
  const model = app.db.getModel('mailMessages');
  for (let start = 0; start < uids.length; start += 500) {
    const rows = uids.slice(start, start + 500).map((uid) => {
      const i = (uid - 1) % DISTINCT;
      return {
        accountId,
        folderId,
        uid,
        messageId: `<huge-${i}@example.test>`,
        threadKey: `<huge-${uid}@example.test>`,
        subjectKey: `archived message ${i}`,
        subject: `Archived message ${i}`,
        from: [{ name: `Sender ${i}`, address: `sender${i}@partner.example` }],
        to: [{ name: 'Me', address: 'me@example.test' }],
        fromText: `sender ${i} sender${i}@partner.example`,
        addressText: `sender ${i} sender${i}@partner.example me me@example.test`,
        date: RECEIVED,
        sentAt: RECEIVED,
        read: true,
        flagged: false,
        answered: false,
        draft: false,
        snippet: `Archived message number ${i}.`,
        size: 300,
        hasAttachments: false,
      };
    });
    await insertNewRows(model as never, rows);
  }
}

/** What any client pays for the same answer: the flags of every message in the Inbox. */
async function rawFlagsScan(client: ImapFlow): Promise<number> {
  const lock = await client.getMailboxLock('INBOX', { readOnly: true });
  try {
    let n = 0;
    for await (const msg of client.fetch('1:*', { uid: true, flags: true })) if (msg.uid) n++;
    return n;
  } finally {
    lock.release();
  }
}

export async function hugeFolderScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp({ profile: 'outlook' });
  const sync = (client: ImapFlow, accountId: number) =>
    syncAccount(
      client,
      { accountId, windowStart: WINDOW_START },
      { messages: reading.messages, folders: reading.folders, states: reading.states, events: reading.events },
    );
  try {
    const user = await connectedUser(app);
    const login = await benchImapClient(user.email, 'outlook');
    await login.status('INBOX', { messages: true });
    await closeClient(login);

    const started = Date.now();
    const serverSeed = await timed(async () => {
      // The first sync, of the still empty mailbox, creates the folder rows and their cursors.
      const first = await benchImapClient(user.email, 'outlook');
      await sync(first, user.accountId);
      await closeClient(first);
      await fillMaildir(user.email);
      console.log(`huge-folder: ${MESSAGES} files linked after ${fmtMs(Date.now() - started)}`);
      // The first access indexes the new files.
      const client = await benchImapClient(user.email, 'outlook');
      const st = (await client.status('INBOX', { messages: true, uidNext: true, uidValidity: true })) || {
        messages: 0,
        uidNext: 0,
        uidValidity: 0n,
      };
      await closeClient(client);
      if (st.messages !== MESSAGES || st.uidNext !== MESSAGES + 1)
        throw new Error(
          `Inbox has ${st.messages} messages, UIDNEXT ${st.uidNext}; expected ${MESSAGES}, ${MESSAGES + 1}`,
        );
      console.log(`huge-folder: indexed by Dovecot after ${fmtMs(Date.now() - started)}`);
      return st;
    });
    const inbox = (await reading.folders.list(user.accountId)).find((f) => f.role === 'inbox');
    if (!inbox) throw new Error('no Inbox after the first sync');
    // The cursor a first sync of these messages would have saved (storing them all is what the rows below do).
    const st = serverSeed.value;
    await reading.folders.saveCursor(
      inbox.id,
      {
        uidValidity: String(st.uidValidity),
        uidNext: st.uidNext ?? null,
        highestModseq: null,
        windowStart: WINDOW_START,
        messages: st.messages ?? 0,
      },
      { total: st.messages ?? 0, unread: 0 },
    );
    const uids = Array.from({ length: MESSAGES }, (_, i) => i + 1);
    const storeSeed = await timed(() => storeRows(app, user.accountId, inbox.id, uids));
    const stored = await app.db.getModel('mailMessages').count({ where: { folderId: inbox.id } });
    if (stored !== MESSAGES) throw new Error(`stored ${stored} rows, expected ${MESSAGES}`);
    console.log(`huge-folder: ${MESSAGES} rows stored after ${fmtMs(Date.now() - started)}`);

    const engineMs: number[] = [];
    const rawMs: number[] = [];
    const peaks: number[] = [];
    let commands = '';
    for (let run = 0; run < RUNS; run++) {
      const raw = await benchImapClient(user.email, 'outlook');
      const r = await timed(() => rawFlagsScan(raw));
      await closeClient(raw);
      if (r.value !== MESSAGES) throw new Error(`raw scan saw ${r.value} messages`);
      rawMs.push(r.ms);

      const counter = newCounter();
      const client = await benchImapClient(user.email, 'outlook', run === 0 ? counter : undefined);
      const e = await peakRssGrowth(() => timed(() => sync(client, user.accountId)), 20);
      await closeClient(client);
      if (e.value.value.changed) throw new Error('the no-change resync reported a change');
      engineMs.push(e.value.ms);
      peaks.push(e.growth / 1e6);
      if (run === 0) commands = `${counter.count} IMAP commands`;
      console.log(`huge-folder: run ${run + 1}: raw ${fmtMs(r.ms)}, engine ${fmtMs(e.value.ms)}`);
    }
    const still = await app.db.getModel('mailMessages').count({ where: { folderId: inbox.id } });
    if (still !== MESSAGES) throw new Error(`after the resyncs ${still} rows are stored, expected ${MESSAGES}`);

    const eMed = median(engineMs);
    const rMed = median(rawMs);
    const n = MESSAGES.toLocaleString('en');
    return [
      {
        name: `No-change resync, Outlook profile (flags scan), Inbox of ${n} messages stored and on the server (SQLite; server seeded and indexed in ${fmtMs(serverSeed.ms)}, rows stored in ${fmtMs(storeSeed.ms)})`,
        value: `${fmtMs(eMed)}, ${commands}; all ${n} rows kept`,
        reference: `raw imapflow FETCH 1:* (UID FLAGS) of the same Inbox ${fmtMs(rMed)}; ratio ${(eMed / rMed).toFixed(2)}×`,
        target: 'completes',
        met: true,
        runs: `median of ${RUNS} each, alternating`,
      },
      {
        name: '  peak RSS growth during that resync',
        value: `${median(peaks).toFixed(0)} MB (max ${Math.max(...peaks).toFixed(0)} MB)`,
        runs: `median of ${RUNS}, sampled every 20 ms`,
      },
    ];
  } finally {
    await app.destroy();
  }
}
