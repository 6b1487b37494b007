import { createHash } from 'node:crypto';
import type { Application } from '@nocobase/server';
import type { MessageBus } from './message-bus';
import { NocoBaseMessageBus } from './nocobase-message-bus';
import { PostgresNotifyBus } from './postgres-notify-bus';

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
