/**
 * Downloading a 50 MB attachment through `mailMessages:attachment` over HTTP: throughput and the peak RSS growth
 * of the process (app and HTTP client share it; the client discards bytes as they come). Raw reference: imapflow
 * streaming the same body part.
 */
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { benchApp, connectedUser, engineSync, listeningAgent } from '../lib/bench-app';
import { benchImapClient, closeClient } from '../lib/imap';
import { peakRssGrowth } from '../lib/peak-rss';
import type { BenchRow } from '../lib/result';
import { median, sleep, timed } from '../lib/stats';

const SIZE = 50 * 1024 * 1024;
const RUNS = 3;

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Peak RSS above the level at the start while `fn` runs, sampled every 5 ms, after a collection settled. */
async function settledPeakRss<T>(fn: () => Promise<T>): Promise<{ growth: number; ms: number; value: T }> {
  gc();
  await sleep(50);
  const { value: t, growth } = await peakRssGrowth(() => timed(fn), 5);
  return { growth, ms: t.ms, value: t.value };
}

const mb = (n: number) => n / 1024 / 1024;

export async function attachmentScenario(): Promise<BenchRow[]> {
  const { app, reading } = await benchApp();
  try {
    const user = await connectedUser(app);
    const agent = await listeningAgent(app, user.user);
    const client = await benchImapClient(user.email, 'full');
    {
      const source = await new MailComposer({
        from: 'Sender <sender@example.net>',
        to: user.email,
        subject: 'Big file',
        text: 'The file is attached.',
        attachments: [{ filename: 'big.bin', content: randomBytes(SIZE), contentType: 'application/octet-stream' }],
      })
        .compile()
        .build();
      await client.append('INBOX', source, []);
    }
    await engineSync(reading, client, user.accountId);
    const row = (await app.db
      .getModel('mailMessages')
      .findOne({ where: { accountId: user.accountId }, raw: true })) as unknown as {
      id: number;
      uid: number;
      attachments: string | Array<{ part: string }>;
    };
    const part = (typeof row.attachments === 'string' ? JSON.parse(row.attachments) : row.attachments)[0]
      .part as string;

    const overHttp = () =>
      new Promise<number>((resolve, reject) => {
        let bytes = 0;
        agent
          .get(`/mailMessages:attachment?filterByTk=${row.id}&part=${encodeURIComponent(part)}`)
          .buffer(true)
          .parse(((res: NodeJS.ReadableStream, done: (err: Error | null, body: unknown) => void) => {
            res.on('data', (c: Buffer) => (bytes += c.length));
            res.on('end', () => done(null, null));
            res.on('error', (e: Error) => done(e, null));
          }) as never)
          .then(
            (res: { status: number }) =>
              res.status === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.status}`)),
            reject,
          );
      });
    const direct = async () => {
      const lock = await client.getMailboxLock('INBOX', { readOnly: true });
      try {
        const d = await client.download(String(row.uid), part, { uid: true, decodeText: false });
        let bytes = 0;
        for await (const c of d.content ?? []) bytes += (c as Buffer).length;
        return bytes;
      } finally {
        lock.release();
      }
    };

    const plugin: Array<{ growth: number; ms: number }> = [];
    const raw: Array<{ growth: number; ms: number }> = [];
    await overHttp(); // opens the pooled connection
    for (let i = 0; i < RUNS; i++) {
      const p = await settledPeakRss(overHttp);
      if (p.value !== SIZE) throw new Error(`downloaded ${p.value} bytes, expected ${SIZE}`);
      plugin.push(p);
      const r = await settledPeakRss(direct);
      if (r.value !== SIZE) throw new Error(`imapflow downloaded ${r.value} bytes, expected ${SIZE}`);
      raw.push(r);
    }
    await closeClient(client);
    const mbps = (s: Array<{ ms: number }>) => mb(SIZE) / (median(s.map((x) => x.ms)) / 1000);
    const growth = median(plugin.map((p) => p.growth));
    return [
      {
        name: 'Downloading a 50 MB attachment (mailMessages:attachment over HTTP): throughput',
        value: `${mbps(plugin).toFixed(1)} MB/s`,
        reference: `imapflow streaming the part ${mbps(raw).toFixed(1)} MB/s; ratio ${(mbps(raw) / mbps(plugin)).toFixed(2)}× the time`,
        runs: `median of ${RUNS}`,
      },
      {
        name: '  peak RSS growth during the download',
        value: `${mb(growth).toFixed(1)} MB (max ${mb(Math.max(...plugin.map((p) => p.growth))).toFixed(1)} MB)`,
        reference: `imapflow alone ${mb(median(raw.map((r) => r.growth))).toFixed(1)} MB`,
        target: '≤ 30 MB',
        met: mb(growth) <= 30,
        runs: `median of ${RUNS}, sampled every 5 ms`,
      },
    ];
  } finally {
    await app.destroy();
  }
}
