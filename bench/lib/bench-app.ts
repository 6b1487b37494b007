/**
 * The plugin in a NocoBase app pointed at the benchmark's mail stack, and the pieces scenarios share: a connected
 * user, and a sync run through the plugin's own engine (`syncAccount`) on a client the scenario controls, so the
 * engine and raw imapflow are timed over identical, already logged-in connections.
 */
import http from 'node:http';
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import { getStack } from '../../test/mail-stack/client';
import { connectedUser, readingApp } from '../../src/server/sync/__tests__/helpers/reading-app';
import { syncAccount } from '../../src/server/sync/account-sync';
import type { MailReading } from '../../src/server/sync/register';
import type { ImapProfile } from './imap';

export { connectedUser };

/** Covers everything seeded (seeds spread dates over the last 6 months). */
export const WINDOW_START = new Date(Date.now() - 3650 * 86_400_000);

export async function benchApp(opts: { profile?: ImapProfile; background?: boolean; extraPlugins?: string[] } = {}) {
  const stack = getStack();
  return readingApp(
    opts.profile ?? 'full',
    { background: opts.background ?? false, syncWaitMs: 600_000 },
    {
      syncWindowDays: 3650,
      smtpHost: 'localhost',
      smtpPort: stack.smtp.port,
      // The stand-in files its own Sent copy, as Outlook does.
      appendSentCopy: false,
    },
    opts.extraPlugins,
  );
}

/** One sync run of the plugin's engine over `client` (LIST, STATUS, plan, fetch, store). */
export function engineSync(reading: MailReading, client: ImapFlow, accountId: number) {
  // BENCH_SYNC_BATCH tries another batch size than the engine's default (MailReadingOptions.batchSize).
  const batchSize = Number(process.env.BENCH_SYNC_BATCH) || undefined;
  return syncAccount(
    client,
    { accountId, windowStart: WINDOW_START },
    { messages: reading.messages, folders: reading.folders, states: reading.states, events: reading.events, batchSize },
  );
}

/** Forgets everything stored for the account, so the next engine run is a first sync again. */
export async function forgetAccount(reading: MailReading, accountId: number) {
  await reading.messages.removeAccount(accountId);
}

/**
 * A signed-in agent talking to the app through one listening HTTP server. `app.agent()` alone starts a fresh
 * server for every request (supertest's behaviour with a callback), which adds its own milliseconds to each
 * request and runs out of sockets with a thousand requests in flight.
 */
export async function listeningAgent(
  app: MockServer,
  user: { id: number | string },
  role: 'member' | 'admin' = 'member',
) {
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 4096, resolve));
  // Left to the process's exit (each scenario runs in a process of its own).
  server.unref();
  return app.agent(server as never).login(user as never, role);
}
