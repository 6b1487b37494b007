/**
 * A large folder for the list and search scenarios: a connected user whose first sync is done, and rows inserted
 * straight into its Inbox in batches (going through IMAP for 100k would only measure the sync again).
 */
import type { MockServer } from '@nocobase/test';
import type { MailReading } from '../../src/server/sync/register';
import { connectedUser, engineSync, listeningAgent } from './bench-app';
import { benchImapClient, closeClient } from './imap';

const WORDS = ['invoice', 'meeting', 'report', 'budget', 'travel', 'review', 'release', 'contract', 'lunch', 'roadmap'];

/** One stored message of the benchmark folders. */
export function row(i: number, accountId: number, folderId: number, now: number) {
  const word = WORDS[i % WORDS.length];
  const sender = `sender${i % 500}@partner${i % 37}.example`;
  // One message in a thousand mentions "zeppelin": a rare search term that still scans the whole folder.
  const rare = i % 1000 === 0 ? ' zeppelin' : '';
  return {
    accountId,
    folderId,
    uid: i + 1,
    messageId: `<bench-${i}@example.test>`,
    threadKey: `<bench-${i - (i % 3)}@example.test>`,
    subjectKey: `${word} ${Math.floor(i / 3)}`,
    subject: `${word[0].toUpperCase()}${word.slice(1)} ${Math.floor(i / 3)}${rare}`,
    from: [{ name: `Sender ${i % 500}`, address: sender }],
    to: [{ name: 'Me', address: 'me@example.test' }],
    cc: [],
    replyTo: [],
    fromText: `sender ${i % 500} ${sender}`,
    addressText: `sender ${i % 500} ${sender} me me@example.test`,
    date: new Date(now - i * 60_000),
    sentAt: new Date(now - i * 60_000 - 5000),
    read: i % 4 !== 0,
    flagged: i % 50 === 0,
    answered: false,
    draft: false,
    snippet: `Hello, about the ${word} number ${i}: please find the details below and let me know what you think.${rare}`,
    size: 4000 + (i % 5000),
    hasAttachments: i % 7 === 0,
    attachments:
      i % 7 === 0
        ? [
            {
              part: '2',
              filename: `file-${i}.pdf`,
              contentType: 'application/pdf',
              size: 20_000,
              inline: false,
              contentId: null,
            },
          ]
        : [],
  };
}

/** A connected user after its first sync, signed in over HTTP, and its Inbox. */
export async function syncedInbox(app: MockServer, reading: MailReading) {
  const user = await connectedUser(app);
  const agent = await listeningAgent(app, user.user);
  const client = await benchImapClient(user.email, 'full');
  await engineSync(reading, client, user.accountId);
  await closeClient(client);
  const inbox = (await reading.folders.list(user.accountId)).find((f) => f.role === 'inbox');
  if (!inbox) throw new Error('no Inbox after the first sync');
  return { user, agent, inbox };
}

/** Inserts `count` rows made by `make(i)` into `mailMessages`, 1,000 a statement, bypassing hooks. */
export async function insertRows(app: MockServer, count: number, make: (i: number) => object): Promise<void> {
  const model = app.db.getModel('mailMessages');
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, k) => make(start + k));
    await model.bulkCreate(batch as never[], { hooks: false, validate: false });
  }
}
