/**
 * Many mailboxes on one app for the `mailboxes` scenario: members who connected through the real sign-in flow (a
 * few at a time, over one listening HTTP server), the wait until every one is synced and IDLE, and what Dovecot
 * and the process hold meanwhile.
 */
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { MockServer } from '@nocobase/test';
import { connectMailbox, pageMessage } from '../../test/helpers/mail-app';
import { imapSessionsPerUser } from '../../test/helpers/dovecot-control';
import type { MailReading } from '../../src/server/sync/register';
import { sleep } from './stats';

export interface Mailbox {
  email: string;
  accountId: number;
}

/** `count` members, each with a fresh mailbox connected, `parallel` sign-ins at a time. */
export async function connectMany(app: MockServer, count: number, parallel = 8): Promise<Mailbox[]> {
  const tag = randomBytes(3).toString('hex');
  // One listening server for every member's agent (see listeningAgent): a server each would add a socket apiece
  // to the figures this scenario takes.
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  const out: Mailbox[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const email = `scale-${tag}-${i}@example.test`;
      const user = await app.db.getRepository('users').create({
        values: { nickname: `scale-${i}`, email: `scale-${tag}-${i}@nocobase.test`, roles: ['member'] },
      });
      const agent = await app.agent(server as never).login(user as never, 'member');
      const { callback } = await connectMailbox(agent, email);
      const result = pageMessage(callback.text);
      if (!result.ok || !result.accountId) throw new Error(`connect ${email} failed: ${JSON.stringify(result)}`);
      out.push({ email, accountId: Number(result.accountId) });
      if (out.length % 100 === 0) console.log(`  ${out.length} mailboxes connected`);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return out;
}

/**
 * Waits until every account finished a sync since `since` and holds its push connection (the session goes to
 * IDLE right after the sync), checking four times a second; answers when that was seen and how many were ready
 * then (fewer than all when `timeoutMs` ran out first).
 */
export async function allIdle(
  reading: MailReading,
  accountIds: number[],
  since: number,
  timeoutMs: number,
): Promise<{ at: number; ready: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await reading.states.views(accountIds);
    const ready = views.filter((v) => v.pushConnected && v.lastSyncAt && new Date(v.lastSyncAt).getTime() >= since);
    if (ready.length === accountIds.length || Date.now() > deadline) return { at: Date.now(), ready: ready.length };
    await sleep(250);
  }
}

/** IMAP sessions Dovecot holds now for each of `emails` (0 for those with none). */
export async function sessionsOf(emails: string[]): Promise<number[]> {
  const perUser = await imapSessionsPerUser('full');
  return emails.map((e) => perUser.get(e.toLowerCase()) ?? 0);
}

/**
 * Polls Dovecot until none of `emails` has a session; answers when that was seen and the sessions still open then
 * (more than none when `timeoutMs` ran out first).
 */
export async function allClosed(emails: string[], timeoutMs: number): Promise<{ at: number; open: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await sessionsOf(emails)).reduce((a, b) => a + b, 0);
    if (open === 0 || Date.now() > deadline) return { at: Date.now(), open };
    await sleep(100);
  }
}

export const openFds = () => fs.readdirSync('/proc/self/fd').length;

/** RSS after a full garbage collection (the worker runs with --expose-gc), bytes. */
export async function settledRss(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await sleep(200);
  }
  return process.memoryUsage().rss;
}
