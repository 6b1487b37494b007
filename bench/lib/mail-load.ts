/**
 * A steady stream of incoming mail spread over many mailboxes (SMTP into Postfix, LMTP into Dovecot), each message
 * timed from its send until the plugin stored it (`messagesStored`, on the node that synced it). The sender runs
 * in a process of its own (mail-sender.ts): the figures are the app's alone.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { getStack } from '../../test/mail-stack/client';
import type { MailReading } from '../../src/server/sync/register';
import type { SenderJob, SenderReport } from './mail-sender';
import { sleep } from './stats';

const key = (messageId: string) => messageId.replace(/^<|>$/g, '').toLowerCase();
const now = () => performance.timeOrigin + performance.now();
/** Mailboxes the floor is measured on: enough messages for a p95 at 100 a second for 30 s over 1,000 mailboxes. */
export const WATCHED = 20;

export interface LoadResult {
  /** Milliseconds from send to stored, for each message stored in time. */
  latencies: number[];
  sent: number;
  /** Messages not stored within the wait after the last send. */
  missing: number;
  /** Send → seen by plain imapflow IDLE on a few of the mailboxes (raw-arrivals.ts), in ms. */
  floor: number[];
}

/** `rate` messages a second for `seconds`, each to a random one of `to`; waits up to `waitMs` for the last ones. */
export async function steadyMail(
  reading: MailReading,
  to: string[],
  { rate, seconds, waitMs }: { rate: number; seconds: number; waitMs: number },
): Promise<LoadResult> {
  const stack = getStack();
  const pending = new Map<string, number>();
  // Stored before its send was reported (the report crosses a pipe): matched when the report comes.
  const storedEarly = new Map<string, number>();
  const latencies: number[] = [];
  const floor: number[] = [];
  const onStored = (e: { messageIds: Array<string | null> }) => {
    const at = now();
    for (const id of e.messageIds) {
      if (!id) continue;
      const sentAt = pending.get(key(id));
      if (sentAt === undefined) {
        storedEarly.set(key(id), at);
        continue;
      }
      pending.delete(key(id));
      latencies.push(at - sentAt);
    }
  };
  const unsubscribe = reading.events.on('messagesStored', onStored);
  const sender = fork(path.join(__dirname, 'mail-sender.ts'), [], { execArgv: process.execArgv });
  try {
    const sent = await new Promise<number>((resolve, reject) => {
      sender.on('message', (r: SenderReport) => {
        if ('sending' in r) {
          const stored = storedEarly.get(key(r.sending));
          if (stored === undefined) pending.set(key(r.sending), r.at);
          else latencies.push(stored - r.at);
        } else if ('floor' in r) floor.push(r.floor);
        else if ('done' in r) resolve(r.done);
        else reject(new Error(`the load's sender failed: ${r.failed}`));
      });
      sender.once('exit', (code) => reject(new Error(`the load's sender exited (${code})`)));
      const job: SenderJob = {
        host: stack.smtpInbound.host,
        port: stack.smtpInbound.port,
        caPath: stack.caPath,
        to,
        rate,
        seconds,
        watch: to.slice(0, WATCHED),
      };
      sender.send(job);
    });
    const deadline = now() + waitMs;
    while (pending.size && now() < deadline) await sleep(100);
    return { latencies, sent, missing: pending.size, floor };
  } finally {
    unsubscribe();
    sender.kill();
  }
}
