/** Seeding writes exactly the requested mail, in realistic shapes, where the plugin will look for it. */
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { getStack, issueAccessToken, newMailboxAddress, seedMailbox } from '../client';

async function messageCount(client: ImapFlow, folder: string) {
  const status = await client.status(folder, { messages: true });
  return status ? status.messages : undefined;
}

async function open(email: string) {
  const client = new ImapFlow({
    ...getStack().imap,
    auth: { user: email, accessToken: await issueAccessToken(email) },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

describe('seedMailbox', () => {
  it('puts the requested number of messages in each folder', async () => {
    const email = newMailboxAddress('seeded');
    const folders = { INBOX: 30, 'Sent Items': 6, Archive: 4, 'Deleted Items': 2, 'Junk Email': 2, Drafts: 1 };
    const result = await seedMailbox(email, { folders });
    expect(result.counts).toEqual(folders);
    const client = await open(email);
    try {
      for (const [folder, count] of Object.entries(folders)) {
        expect([folder, await messageCount(client, folder)]).toEqual([folder, count]);
      }
    } finally {
      await client.logout();
    }
  });

  it('writes realistic mail: encoded-word headers, threads, attachments, dates over months, flags', async () => {
    const email = newMailboxAddress('realistic');
    const result = await seedMailbox(email, { count: 120, months: 6 });
    expect(result.total).toBe(120);
    expect(Object.keys(result.counts)).toEqual(
      expect.arrayContaining(['INBOX', 'Sent Items', 'Archive', 'Drafts', 'Deleted Items', 'Junk Email']),
    );
    const client = await open(email);
    try {
      await client.mailboxOpen('INBOX');
      const parsed = [];
      const dates: number[] = [];
      let seen = 0;
      for await (const m of client.fetch('1:*', { source: true, internalDate: true, flags: true })) {
        parsed.push(await simpleParser(m.source!));
        dates.push(new Date(m.internalDate!).getTime());
        if (m.flags?.has('\\Seen')) seen++;
      }
      expect(parsed).toHaveLength(result.counts.INBOX);
      expect(parsed.some((p) => /[^ -~]/.test(p.subject || ''))).toBe(true);
      expect(parsed.some((p) => p.inReplyTo && p.subject?.startsWith('Re: '))).toBe(true);
      expect(parsed.some((p) => p.attachments.some((a) => a.contentType === 'application/pdf'))).toBe(true);
      expect(parsed.some((p) => p.html && p.text)).toBe(true);
      expect(parsed.some((p) => !p.html && p.text)).toBe(true);
      expect(Math.max(...dates) - Math.min(...dates)).toBeGreaterThan(60 * 86400_000);
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThan(parsed.length + 1);
    } finally {
      await client.logout();
    }
  });
});
