/**
 * A server that refuses one folder (RFC 5530 NOPERM, as Outlook does for shared or system folders a user may list
 * but not open) must not stop the mailbox: the refusal is kept on that folder, the other folders sync, the account
 * stays connected, and the periodic full sync tries the folder again. The session talks to the real Dovecot
 * through a proxy that answers the folder's SELECT/EXAMINE itself.
 */
import type { MockServer } from '@nocobase/test';
import { getStack } from '../../../../test/mail-stack/client';
import type { Agent } from '../../../../test/helpers/mail-app';
import { ImapFaultProxy, startImapFaultProxy } from '../../../../test/helpers/imap-fault-proxy';
import { MailAccountStatus } from '../../../shared/constants';
import type { MailFolderView, MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { connectedUser, readingApp, seed, waitFor } from './helpers/reading-app';

jest.setTimeout(180_000);

const REFUSED = 'Projects';
const REFUSAL = 'NO [NOPERM] Access to this folder is denied.';

async function folders(agent: Agent): Promise<MailFolderView[]> {
  return (await agent.resource('mailFolders').list()).body.data;
}

async function folderNamed(agent: Agent, path: string): Promise<MailFolderView | undefined> {
  return (await folders(agent)).find((f) => f.path === path);
}

async function subjectsIn(agent: Agent, folder: MailFolderView): Promise<string[]> {
  const res = await agent.resource('mailMessages').list({ folderId: folder.id });
  return (res.body.data as MailMessageListItem[]).map((m) => m.subject).sort();
}

async function syncStatus(agent: Agent): Promise<MailSyncStatusView> {
  return (await agent.resource('mailAccounts').syncStatus()).body.data[0];
}

async function accountStatus(agent: Agent): Promise<string> {
  return (await agent.resource('mailAccounts').list()).body.data[0].status;
}

describe('a folder the server refuses', () => {
  let proxy: ImapFaultProxy;
  let app: MockServer | undefined;

  beforeAll(async () => {
    proxy = await startImapFaultProxy(getStack().imap.port);
  });

  afterAll(async () => {
    await app?.destroy().catch(() => undefined);
    await proxy?.close();
  });

  it('keeps the reason on that folder while the others sync, and syncs it once the server lets it open', async () => {
    const opens = new RegExp(`^(SELECT|EXAMINE) "?${REFUSED}"?( |$)`, 'i');
    proxy.setRule((command) => (opens.test(command) ? REFUSAL : null));
    // The shortest periodic full sync the settings allow: it is what tries the refused folder again.
    ({ app } = await readingApp('full', {}, { imapPort: proxy.port, syncIntervalMinutes: 1 }));

    const email = `folder-refusal-${Date.now()}@example.test`;
    await seed(email, 'INBOX', [{ subject: 'Readable' }]);
    await seed(email, 'Archive', [{ subject: 'Archived' }]);
    await seed(email, REFUSED, [{ subject: 'Behind a refusal' }]);
    const { agent } = await connectedUser(app, email);

    const refused = await waitFor(
      async () => {
        const f = await folderNamed(agent, REFUSED);
        return f?.syncError ? f : null;
      },
      { what: 'the refusal to be kept on the folder', timeoutMs: 60_000 },
    );
    expect(refused.syncError).toMatch(/Access to this folder is denied/);
    expect(refused.syncErrorAt).not.toBeNull();
    expect(proxy.answered.some((c) => opens.test(c))).toBe(true);

    // The other folders synced, and the account shows no error.
    const inbox = (await folderNamed(agent, 'INBOX')) as MailFolderView;
    const archive = (await folderNamed(agent, 'Archive')) as MailFolderView;
    await waitFor(async () => (await subjectsIn(agent, archive)).includes('Archived'), {
      what: 'the other folders to sync',
      timeoutMs: 30_000,
    });
    expect(await subjectsIn(agent, inbox)).toEqual(['Readable']);
    expect(inbox.syncError).toBeNull();
    expect(await subjectsIn(agent, refused)).toEqual([]);
    expect(await accountStatus(agent)).toBe(MailAccountStatus.connected);
    expect((await syncStatus(agent)).lastError).toBeNull();

    // New mail after the refusal is still delivered.
    await seed(email, 'INBOX', [{ subject: 'Arrived after the refusal' }]);
    await waitFor(async () => (await subjectsIn(agent, inbox)).includes('Arrived after the refusal'), {
      what: 'new mail in the Inbox to be listed',
      timeoutMs: 30_000,
    });
    expect(await accountStatus(agent)).toBe(MailAccountStatus.connected);

    // The server lets the folder open again: the next periodic full sync fetches its mail and clears the reason.
    proxy.setRule(null);
    const healed = await waitFor(
      async () => {
        const f = await folderNamed(agent, REFUSED);
        return f && !f.syncError && f.lastSyncedAt ? f : null;
      },
      { what: 'the next full sync to open the folder', timeoutMs: 120_000 },
    );
    expect(healed.syncErrorAt).toBeNull();
    expect(await subjectsIn(agent, healed)).toEqual(['Behind a refusal']);
    expect(await accountStatus(agent)).toBe(MailAccountStatus.connected);
    expect((await syncStatus(agent)).lastError).toBeNull();
  });
});
