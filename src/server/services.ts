import type { Application } from '@nocobase/server';
import { AccountService } from './accounts/account-service';
import { ClusterMembers } from './cluster/cluster-members';
import { DatabaseLocks, Locks } from './cluster/database-locks';
import { hasLeaseTable, LeaseTable } from './cluster/lease-table';
import { MailEventStream } from './events';
import { ConnectService } from './oauth/connect-service';
import { MailProviderRegistry } from './providers/registry';
import { SettingsService } from './settings/settings-service';
import { SharingService } from './sharing/sharing-service';
import { TokenService, TokenServiceDeps } from './tokens/token-service';

export interface MailServicesOptions {
  /** Overrides for tests and tuning; see TokenServiceDeps. */
  tokens?: Pick<TokenServiceDeps, 'refreshMarginMs' | 'lockTtlMs'>;
  stateTtlMs?: number;
}

/**
 * Locks that must hold across the cluster: mailbox ownership, token refreshes, outbox sends, the settings row. Leases
 * in the database on PostgreSQL and SQLite; elsewhere the app's lock manager, cluster-wide only with a cluster-wide
 * adapter.
 */
function clusterLocks(app: Application, lockPrefix: string): { locks: Locks; members?: ClusterMembers } {
  if (!hasLeaseTable(app.db)) return { locks: app.lockManager };
  const leases = new LeaseTable(app.db);
  const locks = new DatabaseLocks(leases);
  return { locks, members: new ClusterMembers(leases, `${lockPrefix}:node:`, locks.instance) };
}

/** The plugin's services over one app's database, encryptor and cluster-wide locks. */
export function createMailServices(app: Application, options: MailServicesOptions = {}) {
  const events = new MailEventStream(app.log);
  const providers = new MailProviderRegistry();
  const lockPrefix = `mailbridge:${app.name}`;
  const { locks, members } = clusterLocks(app, lockPrefix);
  const settings = new SettingsService({
    db: app.db,
    encryptor: app.aesEncryptor,
    locks,
    providers,
    lockKey: `${lockPrefix}:settings`,
    // undefined when the API is served at the root (NocoBase's test server); API_BASE_PATH in a real app.
    apiBasePath: app.resourceManager.options.prefix ?? '/',
    log: app.log,
  });
  const accounts = new AccountService(app.db, events);
  const tokens = new TokenService({
    db: app.db,
    accounts,
    settings,
    providers,
    encryptor: app.aesEncryptor,
    locks,
    lockPrefix,
    log: app.log,
    ...options.tokens,
  });
  const connect = new ConnectService({
    db: app.db,
    encryptor: app.aesEncryptor,
    settings,
    providers,
    accounts,
    stateTtlMs: options.stateTtlMs,
  });
  const sharing = new SharingService(app.db, settings, accounts);
  return { events, providers, settings, accounts, tokens, connect, sharing, locks, members };
}

export type MailServices = ReturnType<typeof createMailServices>;
