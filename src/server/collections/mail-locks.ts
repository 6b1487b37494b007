import { defineCollection } from '@nocobase/database';
import { LOCKS_COLLECTION } from '../store/collection-names';

/**
 * Leases the nodes of a cluster take on one key each (mailbox ownership, a token refresh, an outbox send): see
 * cluster/lease-table.ts. `expiresAt` is milliseconds since the epoch on the database's clock, never a node's, so
 * nodes whose clocks disagree still agree on when a lease has run out.
 */
export default defineCollection({
  name: LOCKS_COLLECTION,
  dataCategory: 'runtime',
  autoGenId: false,
  timestamps: false,
  fields: [
    { name: 'lockKey', type: 'string', primaryKey: true, allowNull: false },
    // One acquisition: the app instance that took it and a sequence number, so a late release never frees a
    // lease someone took after it ran out.
    { name: 'holder', type: 'string', allowNull: false },
    { name: 'expiresAt', type: 'bigInt', allowNull: false },
  ],
});
