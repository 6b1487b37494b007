import { createHash } from 'node:crypto';
import type { Application } from '@nocobase/server';
import { PostgresNotifyBus } from './postgres-notify-bus';

/** Messages from one node of a cluster to the others (never back to itself). */
export interface MessageBus<M> {
  publish(message: M): Promise<void>;
  /** One handler per bus; messages published before it subscribed are not replayed. */
  subscribe(handler: (message: M) => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** NocoBase's sync messages: across nodes only when the deployment configures a cluster-wide pub/sub adapter. */
class NocoBaseMessageBus<M> implements MessageBus<M> {
  private handler: ((message: M) => Promise<void>) | null = null;

  constructor(
    private readonly app: Application,
    private readonly channel: string,
  ) {}

  async publish(message: M): Promise<void> {
    await this.app.syncMessageManager.publish(this.channel, message);
  }

  async subscribe(handler: (message: M) => void | Promise<void>): Promise<void> {
    this.handler = async (message: M) => void (await handler(message));
    await this.app.syncMessageManager.subscribe(this.channel, this.handler);
  }

  async close(): Promise<void> {
    if (this.handler) await this.app.syncMessageManager.unsubscribe(this.channel, this.handler);
    this.handler = null;
  }
}

/**
 * The plugin's bus between nodes: PostgreSQL's LISTEN/NOTIFY on PostgreSQL, so a cluster on PostgreSQL alone needs no
 * pub/sub adapter; NocoBase's sync messages elsewhere. The channel is the app's own (several apps may share a server).
 */
export function createMessageBus<M>(app: Application, name: string): MessageBus<M> {
  if (app.db.sequelize.getDialect() !== 'postgres') return new NocoBaseMessageBus<M>(app, name);
  const scope = [app.name, app.db.options.database, app.db.options.schema ?? '', app.db.options.tablePrefix ?? ''];
  // An identifier of at most 63 bytes that says whose it is.
  const channel = `${name.replace(/[^a-z0-9_]/gi, '_').slice(0, 30)}_${createHash('sha256')
    .update(scope.join('\0'))
    .digest('hex')
    .slice(0, 24)}`;
  return new PostgresNotifyBus<M>(app.db, channel, app.log);
}
