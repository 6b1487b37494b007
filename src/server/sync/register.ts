import type { Application } from '@nocobase/server';
import { MAIL_ACCOUNTS_RESOURCE, MailAccountStatus } from '../../shared/constants';
import {
  MAIL_FOLDERS_RESOURCE,
  MAIL_MESSAGES_RESOURCE,
  MailAccountsSyncAction,
  MailFoldersAction,
  MailMessagesAction,
} from '../../shared/mail-reading';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { mailAccountSyncActions } from '../actions/mail-account-sync';
import { mailErrors } from '../actions/mail-errors';
import { mailFoldersActions } from '../actions/mail-folders';
import { mailMessagesActions } from '../actions/mail-messages';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { MailAccess } from '../messages/access';
import { MessageActions } from '../messages/message-actions';
import { MessageBodies } from '../messages/message-body';
import { MessageQuery } from '../messages/message-query';
import type { PluginEmailManagerServer } from '../plugin';
import { ImapConnectionPool } from '../transport/imap/connection-pool';
import type { ImapEndpoint, ImapTokenSource } from '../transport/imap/open-connection';
import type { ImapFailure } from '../transport/imap/parse-imap-error';
import { AccountRecovery } from './account-recovery';
import { AccountSession, FailureDecision, SyncKind } from './account-session';
import { recoveryDelay } from './backoff';
import { FolderStore } from '../store/folder-store';
import { MessageStore } from '../store/message-store';
import { SyncCoordinator } from './sync-coordinator';
import { windowStartFor } from './sync-decision';
import { SyncStateStore } from '../store/sync-state-store';
import { ACCOUNTS_COLLECTION, SETTINGS_COLLECTION, SYNC_STATES_COLLECTION } from '../store/collection-names';
import { reconnectHint } from '../providers/wording';

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
}

const SERVICE_NAME = 'mailbridge.reading';
const SYNC_CHANNEL = 'mailbridge-reading';

type ReadingMessage = { type: 'sync'; accountId: number; kind: SyncKind } | { type: 'changed'; accountId: number };

/** The reading side's services on one node; `getMailReading(app)` finds them. */
export interface MailReading {
  messages: MessageStore;
  folders: FolderStore;
  states: SyncStateStore;
  access: MailAccess;
  query: MessageQuery;
  bodies: MessageBodies;
  actions: MessageActions;
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
  const prefix = (app.resourceManager.options as { prefix?: string } | undefined)?.prefix || process.env.API_BASE_PATH || '/api';
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/**
 * Wires reading mail into the plugin: collections are in `collections/`; this adds the services, the
 * `mailMessages` and `mailFolders` resources, `mailAccounts:sync|syncStatus`, background sync with push, and the
 * cleanup when an account is removed. Call once from the plugin's `load()`.
 */
export function registerMailReading(plugin: PluginEmailManagerServer): MailReading {
  const app = plugin.app;
  const db = app.db;
  const options = ((plugin.options as { reading?: MailReadingOptions }).reading ?? {}) as MailReadingOptions;
  const background = options.background ?? process.env.APP_ENV !== 'test';
  const lockPrefix = `mailbridge:${app.name}`;

  const messages = new MessageStore(db);
  const folders = new FolderStore(db, messages);
  const states = new SyncStateStore(db);
  const access = new MailAccess(db);
  const query = new MessageQuery(db, access);

  const tokens: ImapTokenSource = {
    get: (id) => plugin.tokens.getAccessToken(id),
    refresh: (id, rejected) => plugin.tokens.invalidate(id, rejected),
  };
  const endpoint = async (accountId: number): Promise<ImapEndpoint> => {
    const account = await plugin.accounts.findById(accountId);
    if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'The mailbox account no longer exists.');
    const settings = await plugin.settings.load();
    return plugin.providers.get(account.get('provider') as string).endpoints(settings).imap;
  };
  const pool = new ImapConnectionPool({ endpoint, tokens });

  const publish = (message: ReadingMessage) => app.syncMessageManager.publish(SYNC_CHANNEL, message).catch(() => undefined);

  const changed = async (accountId: number) => {
    await states.bumpChange(accountId);
    app.emit('mailbridge:mailChanged', { accountId });
    await publish({ type: 'changed', accountId });
  };

  const windowStart = async (accountId: number): Promise<Date> => {
    const settings = await plugin.settings.load();
    const configured = windowStartFor(new Date(), settings.syncWindowDays);
    const stored = (await states.get(accountId))?.get('windowStart') as Date | string | null | undefined;
    const covered = stored ? new Date(stored) : null;
    return covered && covered < configured ? covered : configured;
  };

  const onFailure = async (accountId: number, failure: ImapFailure, failures: number): Promise<FailureDecision> => {
    if (failure.kind === 'transient' || failure.kind === 'throttled' || failure.kind === 'mailboxMissing') return { verdict: 'retry' };
    const code = failure.error.code;
    if (code === MailErrorCode.NOT_FOUND) return { verdict: 'stop' };
    // The token service already recorded its own failures on the account; IMAP's verdicts are recorded here.
    const status = code === MailErrorCode.RECONNECT_REQUIRED ? MailAccountStatus.reconnectRequired : MailAccountStatus.error;
    await plugin.accounts.markStatus(accountId, status, failure.error.userMessage);
    // Only the user can sign in again; anything else may have been fixed meanwhile and is tried again later.
    if (status === MailAccountStatus.reconnectRequired) return { verdict: 'stop' };
    return { verdict: 'stop', retryAt: new Date(Date.now() + recoveryDelay(failures, options.recoveryBackoff)) };
  };

  const recovery = new AccountRecovery(db, options.recoveryBackoff);


  const createSession = (accountId: number) =>
    new AccountSession({
      accountId,
      endpoint: () => endpoint(accountId),
      tokens,
      windowStart: () => windowStart(accountId),
      intervalMs: async () => (await plugin.settings.load()).syncIntervalMinutes * 60_000,
      sync: { messages, folders, states, batchSize: options.batchSize, onChange: async (id) => {
        app.emit('mailbridge:mailChanged', { accountId: id });
        await publish({ type: 'changed', accountId: id });
      } },
      states,
      onFailure,
      instanceId: String(app.instanceId),
      log: app.log,
    });

  const coordinator = new SyncCoordinator({
    lockManager: app.lockManager,
    lockPrefix,
    scanIntervalMs: options.scanIntervalMs,
    leaseMs: options.leaseMs,
    connectedAccounts: async () => {
      const rows = (await db.getModel(ACCOUNTS_COLLECTION).findAll({ attributes: ['id'], where: { status: MailAccountStatus.connected }, raw: true })) as unknown as { id: number }[];
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

  const actions = new MessageActions({ db, access, folders, pool, changed, resync });
  const bodies = new MessageBodies({ db, access, folders, pool, apiBasePath: () => apiBasePath(app), resync, changed });

  const syncNow = async (accountId: number, opts: { olderDays?: number; kind?: SyncKind } = {}): Promise<MailSyncStatusView> => {
    const account = await plugin.accounts.findById(accountId);
    if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'No such mailbox among your connected accounts.');
    if (account.get('status') === MailAccountStatus.reconnectRequired) {
      throw new MailError(MailErrorCode.RECONNECT_REQUIRED, (account.get('statusReason') as string) || reconnectHint(plugin.providers.get(account.get('provider') as string)));
    }
    if (opts.olderDays) {
      const from = await windowStart(accountId);
      await states.update(accountId, { windowStart: new Date(from.getTime() - opts.olderDays * 86_400_000) });
    }
    if (account.get('status') === MailAccountStatus.error) {
      // "Sync now" is how a user retries after a permanent failure was fixed (by them or the admin).
      await plugin.accounts.markStatus(accountId, MailAccountStatus.connected, null);
    }
    const run = coordinator.syncHere(accountId, opts.kind ?? 'full').then(async (here) => {
      if (!here) await publish({ type: 'sync', accountId, kind: opts.kind ?? 'full' });
    });
    const wait = options.syncWaitMs ?? 50_000;
    await Promise.race([run, new Promise((r) => setTimeout(r, wait).unref())]);
    return (await states.views([accountId]))[0];
  };

  const reading: MailReading = { messages, folders, states, access, query, bodies, actions, pool, coordinator, syncNow, endpoint };
  app.container.register(SERVICE_NAME, reading);

  // Disconnecting an account (or deleting its user) removes everything synced for it, in bulk, inside the
  // account's own delete transaction; its connection is closed without waiting (the sync checks its folder still
  // exists before each write).
  plugin.accounts.onRemove(async (account, { transaction }) => {
    const id = Number(account.get('id'));
    const dropFailed = (err: unknown) => app.log.warn('closing a removed mailbox\'s connection failed', { accountId: id, err });
    coordinator.drop(id).catch(dropFailed);
    pool.drop(id).catch(dropFailed);
    await messages.removeAccount(id, transaction);
  });

  // A newly connected or reconnected account gets its session at once rather than at the next scan; after the
  // commit, or the scan (another connection) would still read the old status.
  const rescan = (_model: unknown, opts: { transaction?: { afterCommit(fn: () => void): void } } = {}) => {
    const scan = () => {
      if (background && !app.stopped) coordinator.scanInBackground();
    };
    if (opts.transaction) opts.transaction.afterCommit(scan);
    else scan();
  };
  db.on(`${ACCOUNTS_COLLECTION}.afterCreate`, rescan);
  db.on(`${ACCOUNTS_COLLECTION}.afterUpdate`, rescan);

  // New settings (a rotated client secret, a corrected host) are what most accounts in error were waiting for.
  const reviveAll = () => {
    if (!background || app.stopped) return;
    recovery.reviveAll().catch((err: unknown) => app.log.warn('retrying mailboxes in error after a settings change failed', { err }));
  };
  db.on(`${SETTINGS_COLLECTION}.afterSave`, (_model: unknown, opts: { transaction?: { afterCommit(fn: () => void): void } } = {}) => {
    if (opts.transaction) opts.transaction.afterCommit(reviveAll);
    else reviveAll();
  });

  const onMessage = async (message: ReadingMessage) => {
    if (message?.type === 'sync' && coordinator.owns(message.accountId)) await coordinator.syncHere(message.accountId, message.kind);
    if (message?.type === 'changed') app.emit('mailbridge:mailChanged', { accountId: message.accountId });
  };
  app.on('beforeStart', async () => {
    await app.syncMessageManager.subscribe(SYNC_CHANNEL, onMessage);
  });
  app.on('afterStart', () => {
    if (background) coordinator.start();
  });
  app.on('beforeStop', async () => {
    await coordinator.stop();
    await pool.closeAll();
  });
  app.on('beforeDestroy', async () => {
    await coordinator.stop();
    await pool.closeAll();
  });

  const resources = app.resourceManager;
  // NocoBase's generic CRUD handlers (create, update, destroy…) would otherwise answer on these collections for
  // any role with broad rights, unscoped: only the plugin's own, owner-scoped actions exist here.
  const genericExcept = (own: readonly string[]) => [...resources.getRegisteredHandlers().keys()].filter((k) => !own.includes(k as string));
  resources.define({
    name: MAIL_MESSAGES_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailMessagesActions({ query, bodies, actions, markReadOnOpen: () => options.markReadOnOpen !== false }),
    except: genericExcept(Object.values(MailMessagesAction)),
  });
  resources.define({
    name: MAIL_FOLDERS_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailFoldersActions({ query }),
    except: genericExcept(Object.values(MailFoldersAction)),
  });
  resources.define({ name: SYNC_STATES_COLLECTION, except: genericExcept([]) });
  const accountResource = resources.getResource(MAIL_ACCOUNTS_RESOURCE);
  const syncActions = mailAccountSyncActions({ access, syncNow: (id, o) => syncNow(id, o), statuses: (ids) => states.views(ids) });
  accountResource.addAction(MailAccountsSyncAction.sync, syncActions.sync as never);
  accountResource.addAction(MailAccountsSyncAction.syncStatus, syncActions.syncStatus as never);

  app.acl.allow(MAIL_MESSAGES_RESOURCE, Object.values(MailMessagesAction), 'loggedIn');
  app.acl.allow(MAIL_FOLDERS_RESOURCE, Object.values(MailFoldersAction), 'loggedIn');
  app.acl.allow(MAIL_ACCOUNTS_RESOURCE, Object.values(MailAccountsSyncAction), 'loggedIn');

  return reading;
}
