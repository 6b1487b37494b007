/**
 * Timing a message from `deliver()` (SMTP → LMTP → Dovecot) to a sign that the plugin handled it, with background
 * sync and push running: the push and workflow scenarios.
 */
import { randomBytes } from 'node:crypto';
import { deliver } from '../../test/mail-stack/client';
import type { MailReading } from '../../src/server/sync/register';
import { sleep } from './stats';

/** Waits for the account's first background sync and its push (IDLE) connection. */
export async function pushConnected(reading: MailReading, accountId: number): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    const [view] = await reading.states.views([accountId]);
    if (view?.lastSyncAt && view.pushConnected) return;
    if (Date.now() > until) throw new Error(`no push connection after 60 s: ${JSON.stringify(view)}`);
    await sleep(100);
  }
}

export interface DeliveryTiming {
  to: string;
  /** Names the messages ("Push" → subject "push 3 …", text "Push test …"). */
  label: string;
  count: number;
  pollMs: number;
  /** Runs before each message's clock starts (untimed) and returns the check, polled until it holds. */
  arrival: (subject: string) => Promise<() => Promise<boolean>>;
  /** Completes the error message when the check does not hold in time, e.g. 'not listed'. */
  missing: string;
}

/** Milliseconds for each of `count` messages, one at a time, after a warm-up message. */
export async function deliveryTimes(t: DeliveryTiming): Promise<number[]> {
  const timeOne = async (subject: string, timeoutMs: number): Promise<number> => {
    const arrived = await t.arrival(subject);
    const start = process.hrtime.bigint();
    const delivered = deliver({ to: t.to, subject, text: `${t.label} test ${subject}` }, { wait: false });
    const deadline = Date.now() + timeoutMs;
    while (!(await arrived())) {
      if (Date.now() > deadline) throw new Error(`"${subject}" ${t.missing} within ${timeoutMs} ms`);
      await sleep(t.pollMs);
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    await delivered;
    return ms;
  };
  // imapflow enters IDLE only some time after the last command: the first message shows when push is really on.
  await timeOne(`warm-up ${randomBytes(4).toString('hex')}`, 60_000);
  const samples: number[] = [];
  for (let i = 0; i < t.count; i++) {
    samples.push(await timeOne(`${t.label.toLowerCase()} ${i} ${randomBytes(4).toString('hex')}`, 30_000));
    await sleep(300);
  }
  return samples;
}
