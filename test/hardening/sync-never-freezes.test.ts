/**
 * One mailbox whose sync meets a refusal from the server must never hold up the node: other mailboxes are still
 * picked up and synced, and the app still stops. The session talks to the real Dovecot through a proxy that
 * refuses to open one folder, in the middle of the full sync (the folder is listed and its STATUS answered).
 * Both kinds of refusal are covered: no permission on that folder, which is kept on the folder while the account
 * goes on (src/server/sync/__tests__/folder-refusal.test.ts), and Outlook's "Server Unavailable", which the account
 * shows and retries.
 */
import type { MockServer } from '@nocobase/test';
import { getStack } from '../mail-stack/client';
import type { Agent } from '../helpers/mail-app';
import { ImapFaultProxy, startImapFaultProxy } from '../helpers/imap-fault-proxy';
import type { MailFolderView, MailSyncStatusView } from '../../src/shared/mail-reading-types';
import { connectedUser, readingApp, seed, waitFor } from '../../src/server/sync/__tests__/helpers/reading-app';

jest.setTimeout(120_000);

const SCAN_INTERVAL_MS = 2000;
const REFUSED_FOLDER = 'Projects';

async function syncStatus(agent: Agent): Promise<MailSyncStatusView> {
  return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
}

/** Where the refusal shows: on the account, or on the refused folder only. */
async function shownError(agent: Agent, where: 'account' | 'folder'): Promise<string | null> {
  if (where === 'account') return (await syncStatus(agent)).lastError;
  const folders = (await agent.resource('mailFolders').list()).body.data as MailFolderView[];
  return folders.find((f) => f.path === REFUSED_FOLDER)?.syncError ?? null;
}

/** Resolves with the promise's value, or rejects saying what hung. A hang is the failure here, not slowness. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, hung]).finally(() => clearTimeout(timer));
}

describe("a refused folder never freezes the node's sync", () => {
  let proxy: ImapFaultProxy;
  let app: MockServer | undefined;

  beforeAll(async () => {
    proxy = await startImapFaultProxy(getStack().imap.port);
  });

  afterEach(async () => {
    await app?.destroy().catch(() => undefined);
    app = undefined;
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it.each([
    ['no permission on the folder', 'NO [NOPERM] Access to this folder is denied.', 'folder' as const],
    ['Outlook\'s "Server Unavailable"', 'NO Server Unavailable. 15', 'account' as const],
  ])(
    '%s: the %s shows the error, a mailbox connected next still syncs, the app stops',
    async (_label, refusal, where) => {
      const opens = new RegExp(`^(SELECT|EXAMINE) "?${REFUSED_FOLDER}"?( |$)`, 'i');
      proxy.setRule((command) => (opens.test(command) ? refusal : null));
      ({ app } = await readingApp('full', { scanIntervalMs: SCAN_INTERVAL_MS }, { imapPort: proxy.port }));

      const email = `refused-${Date.now()}@example.test`;
      await seed(email, 'INBOX', [{ subject: 'Readable' }]);
      await seed(email, REFUSED_FOLDER, [{ subject: 'In a folder the server refuses to open' }]);
      const broken = await connectedUser(app, email);
      const failed = await waitFor(async () => shownError(broken.agent, where), {
        what: `the refused folder to show on the ${where}`,
        timeoutMs: 30_000,
      });
      expect(failed).toMatch(/refused|unavailable|denied/i);
      expect(proxy.answered.some((c) => opens.test(c))).toBe(true);

      // A mailbox connected after it is picked up by the same node and synced, without anyone clicking "Sync now".
      const next = await connectedUser(app);
      const synced = await waitFor(
        async () => {
          const s = await syncStatus(next.agent);
          return s.lastSyncAt ? s : null;
        },
        { what: 'the next mailbox to be synced by the scan', timeoutMs: 10 * SCAN_INTERVAL_MS },
      );
      expect(synced.lastError).toBeNull();

      const stopping = app;
      app = undefined;
      await within(stopping.destroy(), 30_000, 'stopping the app');
    },
  );
});
