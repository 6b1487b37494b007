/**
 * The floor for push under load: plain imapflow clients, IDLE on the Inbox of a few of the loaded mailboxes, that
 * fetch each new message's envelope as soon as EXISTS announces it. What they see is what the mail system itself
 * takes (SMTP, queue, LMTP, IDLE), with nothing of the plugin's.
 */
import type { ImapFlow } from 'imapflow';
import { benchImapClient, closeClient } from './imap';

const now = () => performance.timeOrigin + performance.now();

async function watchOne(email: string, onArrival: (messageId: string, at: number) => void): Promise<ImapFlow> {
  const client = await benchImapClient(email, 'full');
  await client.mailboxOpen('INBOX', { readOnly: true });
  let next = client.mailbox ? Number(client.mailbox.uidNext) : 1;
  let chain = Promise.resolve();
  const fetchNew = async () => {
    // `n:*` always matches the last message (RFC 3501 §6.4.8), even when its UID is below n.
    for await (const m of client.fetch(`${next}:*`, { uid: true, envelope: true }, { uid: true })) {
      if (m.uid < next) continue;
      next = m.uid + 1;
      if (m.envelope?.messageId) onArrival(m.envelope.messageId, now());
    }
  };
  client.on('exists', () => {
    chain = chain
      .then(fetchNew)
      .catch(() => undefined)
      .then(() => void client.idle().catch(() => undefined));
  });
  client.idle().catch(() => undefined);
  return client;
}

/** Starts watching; the answer stops the watchers. */
export async function watchArrivals(
  emails: string[],
  onArrival: (messageId: string, at: number) => void,
): Promise<() => Promise<void>> {
  const clients = await Promise.all(emails.map((email) => watchOne(email, onArrival)));
  return async () => {
    await Promise.all(clients.map(closeClient));
  };
}
