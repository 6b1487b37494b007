/**
 * The load's sender, in a process of its own (forked by mail-load.ts) so that its SMTP work is not counted in the
 * event loop or the CPU of the app being measured. Sends `rate` messages a second for `seconds` over pooled SMTP
 * connections, each to a random one of `to`, and reports each send's time as milliseconds since the epoch at
 * sub-millisecond resolution (`performance.timeOrigin + performance.now()`), comparable across processes. Also
 * times, for a few of the mailboxes, how long plain imapflow takes to see each message (the floor).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { watchArrivals } from './raw-arrivals';

export interface SenderJob {
  host: string;
  port: number;
  caPath: string;
  to: string[];
  rate: number;
  seconds: number;
  /** Mailboxes among `to` that plain imapflow clients watch too (raw-arrivals.ts), for the floor. */
  watch: string[];
}

export type SenderReport =
  | { sending: string; at: number }
  /** Send → fetched by a plain imapflow client IDLE on the recipient's Inbox, in ms. */
  | { floor: number }
  | { done: number }
  | { failed: string };

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (r: SenderReport) => process.send?.(r);

async function run(job: SenderJob): Promise<number> {
  const transport = nodemailer.createTransport({
    host: job.host,
    port: job.port,
    secure: false,
    pool: true,
    maxConnections: 10,
    maxMessages: Infinity,
    tls: { ca: fs.readFileSync(job.caPath) },
  });
  const total = Math.round(job.rate * job.seconds);
  const sends: Promise<unknown>[] = [];
  const sentAt = new Map<string, number>();
  const stopWatching = await watchArrivals(job.watch, (messageId, at) => {
    const sent = sentAt.get(messageId);
    if (sent !== undefined) report({ floor: at - sent });
  });
  try {
    const start = now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / job.rate - now();
      if (wait > 0) await sleep(wait);
      const messageId = `<${randomUUID()}@load.example.net>`;
      const at = now();
      sentAt.set(messageId, at);
      report({ sending: messageId, at });
      sends.push(
        transport.sendMail({
          from: 'Load <load@example.net>',
          to: job.to[Math.floor(Math.random() * job.to.length)],
          subject: `load ${i}`,
          text: `Message ${i} of the steady load.`,
          messageId,
        }),
      );
    }
    await Promise.all(sends);
    return total;
  } finally {
    transport.close();
    // The last messages reach the watched Inboxes after their send: the parent waits for the plugin meanwhile,
    // and ends this process once done, watchers with it.
    setTimeout(() => void stopWatching(), 60_000).unref();
  }
}

process.once('message', (job: SenderJob) => {
  run(job).then(
    (sent) => report({ done: sent }),
    (err: unknown) => report({ failed: err instanceof Error ? err.message : String(err) }),
  );
});
