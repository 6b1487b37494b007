/**
 * New mail that IDLE announces is stored from the Inbox the session already has selected: a UID SEARCH and the
 * FETCH of what it found, with no CLOSE, STATUS, re-select or flags pass (on Outlook a flags pass reads every
 * message's flags, for each new one). Flag changes and expunges announced by IDLE still get the Inbox sync. The
 * session talks to the real Dovecot through a proxy that only records the commands.
 */
import type { MockServer } from '@nocobase/test';
import type { ImapFlow } from 'imapflow';
import { deliver, newMailboxAddress } from '../../../../test/mail-stack/client';
import type { Agent } from '../../../../test/helpers/mail-app';
import { ImapFaultProxy, startImapFaultProxy } from '../../../../test/helpers/imap-fault-proxy';
import type { MailFolderView, MailMessageListItem, MailSyncStatusView } from '../../../shared/mail-reading-types';
import { SNIPPET_FETCH_BYTES } from '../../messages/snippet';
import { connectedUser, imapPort, otherClient, Profile, readingApp, seed, waitFor } from './helpers/reading-app';

jest.setTimeout(120_000);

async function inboxRows(agent: Agent): Promise<MailMessageListItem[]> {
  const inbox = ((await agent.resource('mailFolders').list()).body.data as MailFolderView[]).find(
    (f) => f.role === 'inbox',
  )!;
  return (await agent.resource('mailMessages').list({ folderId: inbox.id, pageSize: 100 })).body.data;
}

async function inboxCounts(agent: Agent) {
  const folders = (await agent.resource('mailFolders').list()).body.data as MailFolderView[];
  const inbox = folders.find((f) => f.role === 'inbox')!;
  return { total: inbox.totalCount, unread: inbox.unreadCount };
}

describe.each<Profile>(['full', 'outlook'])('new mail announced by IDLE (%s capability profile)', (profile) => {
  let proxy: ImapFaultProxy;
  let app: MockServer;
  let agent: Agent;
  let email: string;
  let other: ImapFlow;
  const commands: string[] = [];

  beforeAll(async () => {
    proxy = await startImapFaultProxy(imapPort(profile));
    proxy.setRule((command) => {
      commands.push(command);
      return null;
    });
    // A long interval: only push explains what is stored during the test.
    ({ app } = await readingApp(profile, {}, { imapPort: proxy.port, syncIntervalMinutes: 60 }));
    email = newMailboxAddress(`arrivals-${profile}`);
    await seed(
      email,
      'INBOX',
      [{ subject: 'Alpha, read before', flags: ['\\Seen'] }, { subject: 'Bravo, unread before' }],
      profile,
    );
    ({ agent } = await connectedUser(app, email));
    await waitFor(
      async () => {
        const st = (await agent.resource('mailAccounts').syncStatus()).body.data[0] as MailSyncStatusView;
        return st.lastSyncAt && st.pushConnected && (await inboxRows(agent)).length === 2;
      },
      { what: 'first sync and the push connection' },
    );
    other = await otherClient(email, profile);
  });

  afterAll(async () => {
    await other?.logout().catch(() => undefined);
    await app?.destroy();
    await proxy?.close();
  });

  it('is stored with a fetch from the stored UIDNEXT in the selected Inbox: no CLOSE, STATUS, re-select or flags pass', async () => {
    // Whatever ran after the first sync (text indexing of the seeded mail) is over before counting starts.
    await waitFor(async () => (await inboxCounts(agent)).total === 2, { what: 'the Inbox counts' });
    await new Promise((r) => setTimeout(r, 1500));
    const subject = `Arrived ${Date.now()}`;
    commands.length = 0;
    await deliver({ to: email, subject, text: 'Announced by IDLE.' });
    await waitFor(async () => (await inboxRows(agent)).some((m) => m.subject === subject), {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the new message',
    });
    const sent = [...commands];
    expect(sent.filter((c) => /^(CLOSE|STATUS|SELECT|EXAMINE|LIST)\b/i.test(c))).toEqual([]);
    expect(sent.some((c) => /^UID FETCH \d+:\* /i.test(c))).toBe(true);
    // The text's first bytes came with that FETCH: none asks for a part's first bytes alone.
    const snippetAlone = (c: string) => c.includes(`]<0.${SNIPPET_FETCH_BYTES}>`) && !/ENVELOPE/i.test(c);
    expect(sent.filter((c) => snippetAlone(c))).toEqual([]);
    // A flags pass asks for FLAGS alone, over every stored UID (Outlook) or with CHANGEDSINCE (CONDSTORE).
    expect(sent.filter((c) => /^UID FETCH \S+ \(UID FLAGS\)/i.test(c) || /CHANGEDSINCE/i.test(c))).toEqual([]);

    const row = (await inboxRows(agent)).find((m) => m.subject === subject)!;
    expect(row).toMatchObject({ read: false, snippet: 'Announced by IDLE.' });
    await waitFor(
      async () => {
        const counts = await inboxCounts(agent);
        return counts.total === 3 && counts.unread === 2;
      },
      { what: 'the Inbox counts to include the new message' },
    );
  });

  it('a burst of mail, some arriving while the last was being fetched, is all stored from the selected Inbox', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const before = (await inboxCounts(agent)).total;
    const tag = `Burst ${Date.now()}`;
    commands.length = 0;
    for (let i = 0; i < 6; i++) {
      await deliver({ to: email, subject: `${tag} ${i}`, text: `Part ${i} of a burst.` });
      await new Promise((r) => setTimeout(r, 60 * (i % 3)));
    }
    await waitFor(async () => (await inboxRows(agent)).filter((m) => m.subject.startsWith(tag)).length === 6, {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'the six messages of the burst',
    });
    expect(commands.filter((c) => /^(CLOSE|STATUS|SELECT|EXAMINE|LIST)\b/i.test(c))).toEqual([]);
    await waitFor(async () => (await inboxCounts(agent)).total === before + 6, { what: 'the Inbox total' });
  });

  it('a flag change and an expunge announced by IDLE still sync the Inbox', async () => {
    const before = await inboxCounts(agent);
    await other.mailboxOpen('INBOX');
    await other.messageFlagsAdd({ subject: 'Bravo' }, ['\\Seen']);
    await other.messageDelete({ subject: 'Alpha' });
    const rows = await waitFor(
      async () => {
        const now = await inboxRows(agent);
        const unread = now.find((m) => m.subject === 'Bravo, unread before');
        return !now.some((m) => m.subject === 'Alpha, read before') && unread?.read ? now : null;
      },
      { timeoutMs: 10_000, intervalMs: 50, what: 'the read mark and the deletion' },
    );
    expect(rows).toHaveLength(before.total - 1);
    // Mail arriving after that is still stored from the selected Inbox, with the counts right.
    const subject = `After the changes ${Date.now()}`;
    await deliver({ to: email, subject, text: 'Still announced by IDLE.' });
    await waitFor(async () => (await inboxRows(agent)).some((m) => m.subject === subject), {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the message after the changes',
    });
    await waitFor(
      async () => {
        const counts = await inboxCounts(agent);
        // One read message deleted, one marked read, one new unread: the total is back, the unread count too.
        return counts.total === before.total && counts.unread === before.unread;
      },
      { what: 'the Inbox counts after the changes' },
    );
  });
});
