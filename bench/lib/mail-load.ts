/**
 * A steady stream of incoming mail spread over many mailboxes (SMTP into Postfix, LMTP into Dovecot), each message
 * timed from its send until the plugin stored it (`messagesStored`, on the node that synced it).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import { getStack } from '../../test/mail-stack/client';
import type { MailReading } from '../../src/server/sync/register';
import { sleep } from './stats';

const key = (messageId: string) => messageId.replace(/^<|>$/g, '').toLowerCase();

export interface LoadResult {
  /** Milliseconds from send to stored, for each message stored in time. */
  latencies: number[];
  sent: number;
  /** Messages not stored within the wait after the last send. */
  missing: number;
}

/** `rate` messages a second for `seconds`, each to a random one of `to`; waits up to `waitMs` for the last ones. */
export async function steadyMail(
  reading: MailReading,
  to: string[],
  { rate, seconds, waitMs }: { rate: number; seconds: number; waitMs: number },
): Promise<LoadResult> {
  const stack = getStack();
  // Pooled: the sender's own connection set-up stays out of the process's event loop as far as it can.
  const transport = nodemailer.createTransport({
    host: stack.smtpInbound.host,
    port: stack.smtpInbound.port,
    secure: false,
    pool: true,
    maxConnections: 10,
    maxMessages: Infinity,
    tls: { ca: fs.readFileSync(stack.caPath) },
  });
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  const onStored = (e: { messageIds: Array<string | null> }) => {
    const now = performance.now();
    for (const id of e.messageIds) {
      const started = id ? pending.get(key(id)) : undefined;
      if (started === undefined) continue;
      pending.delete(key(id as string));
      latencies.push(now - started);
    }
  };
  const unsubscribe = reading.events.on('messagesStored', onStored);
  const total = Math.round(rate * seconds);
  const sends: Promise<unknown>[] = [];
  try {
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const messageId = `<${randomUUID()}@load.example.net>`;
      pending.set(key(messageId), performance.now());
      sends.push(
        transport.sendMail({
          from: 'Load <load@example.net>',
          to: to[Math.floor(Math.random() * to.length)],
          subject: `load ${i}`,
          text: `Message ${i} of the steady load.`,
          messageId,
        }),
      );
    }
    await Promise.all(sends);
    const deadline = performance.now() + waitMs;
    while (pending.size && performance.now() < deadline) await sleep(100);
    return { latencies, sent: total, missing: pending.size };
  } finally {
    unsubscribe();
    transport.close();
  }
}
