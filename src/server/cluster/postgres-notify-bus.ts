import { randomUUID } from 'node:crypto';
import type { Database } from '@nocobase/database';
import type { MessageBus } from './message-bus';

/** The part of node-postgres' client a listener uses. */
interface ListeningConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', listener: (notice: { channel: string; payload?: string }) => void): void;
  on(event: 'error' | 'end', listener: (err?: Error) => void): void;
  removeAllListeners(event?: string): void;
}

/** Sequelize's connection manager: connections made with the app's own settings (SSL, hooks), outside the pool. */
interface ConnectionManager {
  _connect(config: unknown): Promise<ListeningConnection>;
  _disconnect(connection: ListeningConnection): Promise<void>;
}

interface Log {
  warn(message: string, meta?: object): void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Messages between nodes over PostgreSQL's LISTEN/NOTIFY. A node listens on a connection of its own, outside the
 * pool (a LISTEN belongs to its session), publishes with pg_notify, and skips its own messages. A lost listening
 * connection is made again with backoff; what was sent meanwhile is lost to this node, so a message may only ask
 * for what the nodes' own scans would also do later (a sync now rather than at the next interval).
 */
export class PostgresNotifyBus<M> implements MessageBus<M> {
  private readonly node = randomUUID();
  private handler: ((message: M) => void | Promise<void>) | null = null;
  private connection: ListeningConnection | null = null;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private ready = false;

  constructor(
    private readonly db: Database,
    readonly channel: string,
    private readonly log?: Log,
  ) {}

  async publish(message: M): Promise<void> {
    await this.db.sequelize.query('SELECT pg_notify(:channel, :payload)', {
      replacements: { channel: this.channel, payload: JSON.stringify({ from: this.node, message }) },
    });
  }

  async subscribe(handler: (message: M) => void | Promise<void>): Promise<void> {
    this.handler = handler;
    this.closed = false;
    // The node starts either way: a database that refuses a listener now gets asked again, with backoff.
    await this.listen().catch((err: unknown) => this.listenFailed(err));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handler = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.dropConnection();
  }

  /** True while the node hears the others (a test waits for it after cutting the connection). */
  get listening(): boolean {
    return this.ready;
  }

  private get manager(): ConnectionManager {
    return (this.db.sequelize as unknown as { connectionManager: ConnectionManager }).connectionManager;
  }

  private async listen(): Promise<void> {
    const connection = await this.manager._connect(this.db.sequelize.config);
    connection.on('notification', (notice) => {
      if (notice.channel === this.channel) this.receive(notice.payload);
    });
    const lost = (err?: Error) => {
      if (this.connection !== connection) return;
      this.connection = null;
      this.ready = false;
      connection.removeAllListeners('notification');
      this.manager._disconnect(connection).catch(() => undefined);
      if (!this.closed)
        this.log?.warn('mail: the connection listening to other nodes was lost; making it again', { err });
      this.retryLater();
    };
    connection.on('error', lost);
    connection.on('end', lost);
    this.connection = connection;
    try {
      // Channel names are made by createMessageBus from [A-Za-z0-9_] only.
      await connection.query(`LISTEN "${this.channel}"`);
    } catch (err) {
      if (this.connection === connection) this.connection = null;
      await this.manager._disconnect(connection).catch(() => undefined);
      throw err;
    }
    if (this.closed) return this.dropConnection();
    this.ready = this.connection === connection;
    this.retryMs = FIRST_RETRY_MS;
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      this.listen().catch((err: unknown) => this.listenFailed(err));
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  private listenFailed(err: unknown): void {
    this.log?.warn('mail: listening to other nodes failed; trying again', { err, retryInMs: this.retryMs });
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryLater();
  }

  private receive(payload: string | undefined): void {
    let parsed: { from?: string; message?: M };
    try {
      parsed = JSON.parse(payload ?? '');
    } catch {
      return; // Not one of ours: anyone with the database may NOTIFY.
    }
    if (!parsed || parsed.from === this.node || parsed.message === undefined || !this.handler) return;
    Promise.resolve(this.handler(parsed.message)).catch((err: unknown) =>
      this.log?.warn('mail: handling a message from another node failed', { err }),
    );
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.ready = false;
    if (!connection) return;
    connection.removeAllListeners('notification');
    await this.manager._disconnect(connection).catch(() => undefined);
  }
}
