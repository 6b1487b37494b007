/**
 * IMAP clients for measuring: the same connection options the plugin uses, plus a logger that counts the commands
 * the client sends (one command = one round trip on an IMAP connection that does not pipeline, as imapflow does not).
 */
import { ImapFlow } from 'imapflow';
import { getStack, issueAccessToken } from '../../test/mail-stack/client';

export interface CommandCounter {
  count: number;
  /** Command names in order (e.g. `UID FETCH`), for the record. */
  names: string[];
  reset(): void;
}

function countingLogger(counter: CommandCounter) {
  const ignore = () => undefined;
  return {
    trace: ignore,
    info: ignore,
    warn: ignore,
    error: ignore,
    debug(entry: { src?: string; msg?: string }) {
      // imapflow logs every compiled client command with src 'c'; literal continuations are logged as `(* nB … *)`.
      if (entry?.src !== 'c' || !entry.msg || entry.msg.startsWith('(*')) return;
      const words = entry.msg.split(' ');
      counter.count++;
      counter.names.push((words[1] === 'UID' ? `UID ${words[2]}` : (words[1] ?? '')).toUpperCase());
    },
  };
}

export function newCounter(): CommandCounter {
  const c: CommandCounter = { count: 0, names: [], reset: () => ((c.count = 0), (c.names = [])) };
  return c;
}

export type ImapProfile = 'full' | 'outlook';

/** A logged-in client for `email` on either capability profile, counting commands into `counter` when given. */
export async function benchImapClient(
  email: string,
  profile: ImapProfile,
  counter?: CommandCounter,
): Promise<ImapFlow> {
  const stack = getStack();
  const endpoint = profile === 'outlook' ? stack.imapOutlook : stack.imap;
  const client = new ImapFlow({
    ...endpoint,
    auth: { user: email, accessToken: await issueAccessToken(email) },
    logger: counter ? (countingLogger(counter) as never) : false,
    disableAutoIdle: true,
    clientInfo: { name: 'NocoBase email manager' },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function closeClient(client: ImapFlow): Promise<void> {
  await client.logout().catch(() => client.close());
}
