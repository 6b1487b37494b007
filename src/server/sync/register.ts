import type { Transaction } from 'sequelize';
import type { Application } from '@nocobase/server';
import { MailAccountStatus } from '../../shared/constants';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { MAIL_CHANGED_NOTICE, MailEventStream } from '../events';
import { MailAccess } from '../messages/access';
import { MessageActions } from '../messages/message-actions';
import { MessageBodies } from '../messages/message-body';
import { MessageQuery } from '../messages/message-query';
import { MessageSearch } from '../search/message-search';
import type { MailServices } from '../services';
import { ImapConnectionPool } from '../transport/imap/connection-pool';
import type { ImapEndpoint, ImapTokenSource } from '../transport/imap/open-connection';
import type { ImapFailure } from '../transport/imap/parse-imap-error';
import { AccountRecovery } from './account-recovery';
import { AccountSession, FailureDecision, SyncKind } from './account-session';
import { recoveryDelay } from './backoff';
import { FolderStore } from '../store/folder-store';
import { MessageStore } from '../store/message-store';
import { SyncStateStore } from '../store/sync-state-store';
import { ACCOUNTS_COLLECTION, SETTINGS_COLLECTION } from '../store/collection-names';
import { ManualSync } from './manual-sync';
import { whenCommitted } from '../db/transaction';
import { SyncCoordinator } from './sync-coordinator';
import { createMessageBus } from '../cluster/create-message-bus';
import { NoticeBatcher } from '../cluster/notice-batcher';
import type { LoginGate } from './login-gate';
import { ServerSearch } from './server-search';
import { TextIndexer, TextIndexOptions } from './text-indexer';
import { TextIndexStore } from '../store/text-index-store';
import { syncWindowStart } from './sync-window';

/** Tuning, from the plugin's options (`reading`); the defaults suit production. */
export interface MailReadingOptions {
  /** How often a node renews its ownership leases and picks up accounts (default 30 s). */
  scanIntervalMs?: number;
  /** Ownership lease (default 3 scan intervals). */
  leaseMs?: number;
  /** Messages per FETCH / INSERT batch (default 250). */
  batchSize?: number;
  /** Opening a message marks it read unless the request says `markRead=false` (default true). */
  markReadOnOpen?: boolean;
  /**
   * How an account in `error` is retried by itself: first after `baseMs`, doubling up to `maxMs` (default
   * 15 minutes to 6 hours).
   */
  recoveryBackoff?: { baseMs?: number; maxMs?: number };
  /** Longest `mailAccounts:sync` waits for the sync before answering with the current progress (default 50 s). */
  syncWaitMs?: number;
  /**
   * Run background sync (sessions, push) on this node. Default: on, except under APP_ENV=test, where suites that
   * do not exercise reading must not have connections and token refreshes running behind their backs.
   */
  background?: boolean;
  /** The background body text indexer for search: batch size, pause, size bound, or `{ enabled: false }`. */
  textIndex?: TextIndexOptions;
  /** A search's total is counted up to this many matches, then answered as capped (default 1,000). */
  searchCountCap?: number;
  /**
   * IMAP logins of background sessions in flight at once on this node (default 10), and the random pause of up to
   * `loginJitterMs` (default 1 s) before each session's first login.
   */
  loginConcurrency?: number;
  loginJitterMs?: number;
}

const SERVICE_NAME = 'mailbridge.reading';
const SYNC_CHANNEL = 'mailbridge-reading';

type ReadingMessage =
  | { type: 'sync'; accountId: number; kind: SyncKind }
  /** `accountId` alone from nodes of an earlier version, during a rolling upgrade. */
  | { type: 'changed'; accountIds?: number[]; accountId?: number };

/** The reading side's services on one node; `getMailReading(app)` finds them. */
export interface MailReading {
  /** The plugin's event stream (the same as `plugin.events`). */
  events: MailEventStream;
  messages: MessageStore;
  folders: FolderStore;
  states: SyncStateStore;
  access: MailAccess;
  query: MessageQuery;
  /** Full-text search of the local copy: `search.where(search.parse(q))` for any list of mailMessages rows. */
  search: MessageSearch;
  bodies: MessageBodies;
  actions: MessageActions;
  /** "Search on the server": IMAP SEARCH over whole folders, what it finds stored as normal messages. */
  serverSearch: ServerSearch;
  pool: ImapConnectionPool;
  coordinator: SyncCoordinator;
  /** Syncs the account now (on the node that owns it) and returns its sync state afterwards. */
  syncNow(accountId: number, options?: { olderDays?: number; kind?: SyncKind }): Promise<MailSyncStatusView>;
  /** The IMAP server for an account. */
  endpoint(accountId: number): Promise<ImapEndpoint>;
}

export function getMailReading(app: Application): MailReading {
  return app.container.get<MailReading>(SERVICE_NAME);
}

function apiBasePath(app: Application): string {
  const prefix =
    (app.resourceManager.options as { prefix?: string } | undefined)?.prefix || process.env.API_BASE_PATH || '/api';
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * The reading side over the plugin's services: stores, queries, message actions, background sync with push, and
 * the cleanup when an account is removed. Resources and ACL are the plugin's (reading.ts). Call once from `load()`.
 */
export function registerMailReading(
  app: Application,
  services: MailServices,
  options: MailReadingOptions = {},
): MailReading {
  const db = app.db;
  const background = options.background ?? process.env.APP_ENV !== 'test';
  const lockPrefix = `mailbridge:${app.name}`;

  const events = services.events;
  const messages = new MessageStore(db, events);
  const folders = new FolderStore(db, messages, () => services.providers.folderNames());
  const states = new SyncStateStore(db);
  const access = new MailAccess(db);
  const search = new MessageSearch(db, app.log);
  search.subscribe(events);
  const query = new MessageQuery(db, access, search, { searchCountCap: options.searchCountCap });

  const tokens: ImapTokenSource = {
    get: (id) => services.tokens.getAccessToken(id),
    refresh: (id, rejected) => services.tokens.invalidate(id, rejected),
  };
  const endpoint = async (accountId: number): Promise<ImapEndpoint> => {
    const account = await services.accounts.findById(accountId);
    if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'The mailbox account no longer exists.');
    const settings = await services.settings.load();
    return services.providers.get(account.get('provider') as string).endpoints(settings).imap;
  };
  const pool = new ImapConnectionPool({ endpoint, tokens });
  const textIndex = new TextIndexStore(db, events);
  const textIndexer = new TextIndexer({
    store: textIndex,
    folders,
    states,
    userBusy: (accountId) => pool.inUse(accountId),
    options: options.textIndex,
  });

  const bus = createMessageBus<ReadingMessage>(app, SYNC_CHANNEL);
  const publish = (message: ReadingMessage) =>
    bus.publish(message).catch((err: unknown) => app.log.warn('telling the other nodes failed', { err, message }));

  // The client notice (not a domain event): stored mail of the account changed, so its change counter moves and
  // every node tells its clients. Other nodes only re-emit it (onMessage), they do not hear the domain events.
  const otherNodes = new NoticeBatcher(async (accountIds) => {
    await publish({ type: 'changed', accountIds });
  });
  const notifyClients = async ({ accountId }: { accountId: number }) => {
    await states.bumpChange(accountId);
    app.emit(MAIL_CHANGED_NOTICE, { accountId });
    otherNodes.add(accountId);
  };
  events.on('messagesStored', notifyClients);
  // Text kept for search is nothing a list or a reading pane shows: clients need not reload for it (the indexer
  // writes a batch every few hundred milliseconds while it runs).
  events.on('messagesChanged', (e) => (e.change.kind === 'indexedText' ? undefined : notifyClients(e)));
  events.on('messagesRemoved', notifyClients);
  events.on('foldersChanged', notifyClients);

  const windowStart = syncWindowStart({
    syncWindowDays: async () => (await services.settings.load()).syncWindowDays,
    states,
  });

  const onFailure = async (accountId: number, failure: ImapFailure, failures: number): Promise<FailureDecision> => {
    if (failure.kind === 'transient' || failure.kind === 'throttled' || failure.kind === 'mailboxMissing')
      return { verdict: 'retry' };
    const code = failure.error.code;
    if (code === MailErrorCode.NOT_FOUND) return { verdict: 'stop' };
    // The token service already recorded its own failures on the account; IMAP's verdicts are recorded here.
    const status =
      code === MailErrorCode.RECONNECT_REQUIRED ? MailAccountStatus.reconnectRequired : MailAccountStatus.error;
    await services.accounts.markStatus(accountId, status, failure.error.userMessage);
    // Only the user can sign in again; anything else may have been fixed meanwhile and is tried again later.
    if (status === MailAccountStatus.reconnectRequired) return { verdict: 'stop' };
    return { verdict: 'stop', retryAt: new Date(Date.now() + recoveryDelay(failures, options.recoveryBackoff)) };
  };

  const recovery = new AccountRecovery(db, options.recoveryBackoff);

  const createSession = (accountId: number, logins: LoginGate) =>
    new AccountSession({
      logins,
      accountId,
      endpoint: () => endpoint(accountId),
      tokens,
      windowStart: () => windowStart(accountId),
      intervalMs: async () => (await services.settings.load()).syncIntervalMinutes * 60_000,
      sync: { messages, folders, states, events, batchSize: options.batchSize },
      states,
      onFailure,
      instanceId: String(app.instanceId),
      log: app.log,
      background: textIndexer.enabled ? textIndexer : undefined,
    });

  const coordinator = new SyncCoordinator({
    locks: services.locks,
    members: services.members,
    lockPrefix,
    scanIntervalMs: options.scanIntervalMs,
    leaseMs: options.leaseMs,
    logins: { concurrency: options.loginConcurrency, jitterMs: options.loginJitterMs },
    connectedAccounts: async () => {
      const rows = (await db
        .getModel(ACCOUNTS_COLLECTION)
        .findAll({ attributes: ['id'], where: { status: MailAccountStatus.connected }, raw: true })) as unknown as {
        id: number;
      }[];
      return rows.map((r) => Number(r.id));
    },
    createSession,
    reviveDue: async () => {
      await recovery.reviveDue();
    },
    log: app.log,
  });

  const resync = (accountId: number) => {
    (async () => {
      if (!(await coordinator.syncHere(accountId, 'full'))) await publish({ type: 'sync', accountId, kind: 'full' });
    })().catch((err: unknown) => app.log.warn('mail resync request failed', { accountId, err }));
  };

  const actions = new MessageActions({ db, access, folders, pool, events, resync });
  const bodies = new MessageBodies({
    db,
    access,
    folders,
    pool,
    apiBasePath: () => apiBasePath(app),
    resync,
    events,
    textIndex,
    indexedTextChars: options.textIndex?.maxBytes,
  });

  const serverSearch = new ServerSearch({ db, access, folders, messages, pool, resync });

  const manualSync = new ManualSync({
    accounts: services.accounts,
    providers: services.providers,
    states,
    windowStart,
    sync: async (accountId, kind) => {
      if (!(await coordinator.syncHere(accountId, kind))) await publish({ type: 'sync', accountId, kind });
    },
    waitMs: options.syncWaitMs,
  });
  const syncNow = (accountId: number, opts?: { olderDays?: number; kind?: SyncKind }) =>
    manualSync.syncNow(accountId, opts);

  const reading: MailReading = {
    events,
    messages,
    folders,
    states,
    access,
    query,
    search,
    bodies,
    actions,
    serverSearch,
    pool,
    coordinator,
    syncNow,
    endpoint,
  };
  app.container.register(SERVICE_NAME, reading);

  // Disconnecting an account (or deleting its user) removes everything synced for it, in bulk, inside the
  // account's own delete transaction; its connection is closed without waiting (the sync checks its folder still
  // exists before each write).
  services.accounts.onRemove(async (account, { transaction }) => {
    const id = Number(account.get('id'));
    const dropFailed = (err: unknown) =>
      app.log.warn("closing a removed mailbox's connection failed", { accountId: id, err });
    coordinator.drop(id).catch(dropFailed);
    pool.drop(id).catch(dropFailed);
    await messages.removeAccount(id, transaction);
  });

  // A newly connected or reconnected account gets its session at once rather than at the next scan; after the
  // commit, or the scan (another connection) would still read the old status.
  const rescan = (_model: unknown, options?: { transaction?: Transaction }) =>
    whenCommitted(options, () => {
      if (background && !app.stopped) coordinator.scanInBackground();
    });
  db.on(`${ACCOUNTS_COLLECTION}.afterCreate`, rescan);
  db.on(`${ACCOUNTS_COLLECTION}.afterUpdate`, rescan);

  // New settings (a rotated client secret, a corrected host) are what most accounts in error were waiting for.
  const reviveAll = () => {
    if (!background || app.stopped) return;
    recovery
      .reviveAll()
      .catch((err: unknown) => app.log.warn('retrying mailboxes in error after a settings change failed', { err }));
  };
  db.on(`${SETTINGS_COLLECTION}.afterSave`, (_model: unknown, options?: { transaction?: Transaction }) =>
    whenCommitted(options, reviveAll),
  );

  const onMessage = async (message: ReadingMessage) => {
    if (message?.type === 'sync' && coordinator.owns(message.accountId))
      await coordinator.syncHere(message.accountId, message.kind);
    if (message?.type === 'changed') {
      const ids = Array.isArray(message.accountIds) ? message.accountIds : [message.accountId];
      for (const accountId of ids) if (typeof accountId === 'number') app.emit(MAIL_CHANGED_NOTICE, { accountId });
    }
  };
  app.on('beforeStart', async () => {
    await bus.subscribe(onMessage);
  });
  app.on('afterStart', async () => {
    // A process stopped between a write and its event leaves the search index behind: level it before syncing.
    await search
      .reconcile()
      .catch((err: unknown) => app.log.warn('bringing the mail search index up to date failed', { err }));
    if (background) coordinator.start();
  });
  // What the search index still has pending is written before the database closes.
  app.on('beforeStop', async () => {
    await otherNodes.flush();
    await bus.close();
    await coordinator.stop();
    await pool.closeAll();
    await search.settled();
  });
  app.on('beforeDestroy', async () => {
    await otherNodes.flush();
    await bus.close();
    await coordinator.stop();
    await pool.closeAll();
    await search.settled();
  });

  return reading;
}
