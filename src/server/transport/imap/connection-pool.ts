import type { ImapFlow } from 'imapflow';
import { closeQuietly, ImapEndpoint, ImapTokenSource, openImapConnection } from './open-connection';
import { parseImapError } from './parse-imap-error';

export interface ConnectionPoolDeps {
  endpoint(accountId: number): Promise<ImapEndpoint>;
  tokens: ImapTokenSource;
  /** Closes a connection nobody used for this long. */
  idleMs?: number;
}

interface Entry {
  client: Promise<ImapFlow>;
  timer: NodeJS.Timeout | null;
  users: number;
}

/**
 * One on-demand connection per account for what users do (open a message, download an attachment, mark, move,
 * delete), kept open briefly between requests: Outlook answers rapid connect/disconnect cycles with "User is
 * authenticated but not connected". Requests share it; imapflow's mailbox locks keep their commands apart.
 */
export class ImapConnectionPool {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly deps: ConnectionPoolDeps) {}

  /**
   * Runs `fn` with the folder selected (read-write). The lock is held until `fn` settles, or, when `fn` returns a
   * stream via `hold`, until that stream ends.
   */
  async withFolder<T>(
    accountId: number,
    path: string,
    fn: (client: ImapFlow, hold: (stream: NodeJS.ReadableStream) => void) => Promise<T>,
  ): Promise<T> {
    return this.use(accountId, async (client, keep) => {
      const lock = await client.getMailboxLock(path, { description: 'user action' });
      let held = false;
      const hold = (stream: NodeJS.ReadableStream) => {
        held = true;
        const done = new Promise<void>((resolve) => {
          stream.once('end', resolve);
          stream.once('close', resolve);
          stream.once('error', resolve);
        });
        keep(done.then(() => lock.release()));
      };
      try {
        return await fn(client, hold);
      } finally {
        if (!held) lock.release();
      }
    });
  }

  /** Runs `fn` with the account's connection, opening it when needed; a dead connection is replaced once. */
  async use<T>(
    accountId: number,
    fn: (client: ImapFlow, keep: (until: Promise<unknown>) => void) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const entry = this.entry(accountId);
      entry.users++;
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      let client: ImapFlow;
      try {
        client = await entry.client;
      } catch (err) {
        this.forget(accountId, entry);
        throw err;
      } finally {
        entry.users--;
      }
      entry.users++;
      // Work that outlives `fn` (a download still streaming) keeps the connection in use until it settles.
      const keep = (until: Promise<unknown>) => {
        entry.users++;
        void until
          .catch(() => undefined)
          .finally(() => {
            entry.users--;
            this.scheduleClose(accountId, entry);
          });
      };
      try {
        return await fn(client, keep);
      } catch (err) {
        const broken = !client.usable;
        if (broken) this.forget(accountId, entry);
        // A pooled connection the server dropped meanwhile: one retry on a fresh one.
        if (broken && attempt === 0 && parseImapError(err).kind === 'transient') continue;
        throw err;
      } finally {
        entry.users--;
        this.scheduleClose(accountId, entry);
      }
    }
  }

  /** Whether a user's request is working on the account's connection right now (background work waits for it). */
  inUse(accountId: number): boolean {
    return (this.entries.get(accountId)?.users ?? 0) > 0;
  }

  /** Closes the account's connection (account removed or disconnected). */
  async drop(accountId: number): Promise<void> {
    const entry = this.entries.get(accountId);
    if (!entry) return;
    this.forget(accountId, entry);
  }

  async closeAll(): Promise<void> {
    for (const [id, entry] of [...this.entries]) this.forget(id, entry);
  }

  private entry(accountId: number): Entry {
    const existing = this.entries.get(accountId);
    if (existing) return existing;
    const entry: Entry = { client: this.open(accountId), timer: null, users: 0 };
    entry.client.catch(() => undefined);
    this.entries.set(accountId, entry);
    return entry;
  }

  private async open(accountId: number): Promise<ImapFlow> {
    const { client } = await openImapConnection({
      endpoint: await this.deps.endpoint(accountId),
      accountId,
      tokens: this.deps.tokens,
      // This connection only answers requests: no IDLE in between.
      client: { disableAutoIdle: true },
    });
    client.once('close', () => {
      const entry = this.entries.get(accountId);
      // A newer entry whose open failed is removed by whoever awaited it: nothing to forget here then.
      if (entry)
        entry.client.then(
          (c) => c === client && this.entries.get(accountId) === entry && this.entries.delete(accountId),
          () => undefined,
        );
    });
    return client;
  }

  private scheduleClose(accountId: number, entry: Entry): void {
    if (entry.users > 0 || this.entries.get(accountId) !== entry) return;
    entry.timer = setTimeout(() => this.forget(accountId, entry), this.deps.idleMs ?? 60_000);
    entry.timer.unref?.();
  }

  private forget(accountId: number, entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    if (this.entries.get(accountId) === entry) this.entries.delete(accountId);
    void entry.client.then(
      (c) => closeQuietly(c),
      () => undefined,
    );
  }
}
