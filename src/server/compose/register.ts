import type { Application } from '@nocobase/server';
import { MailAccountStatus } from '../../shared/constants';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailServices } from '../services';
import type { MailReading } from '../sync/register';
import { ComposeService } from './compose-service';
import { MailboxCopies } from './mailbox-copies';
import { BulkSender } from './bulk-sender';
import { InterruptedSends } from './interrupted-sends';
import { OutboxSender } from './outbox-sender';
import { OutboxStore } from '../store/outbox-store';

/** Tuning, from the plugin's options (`sending`); the defaults suit production. */
export interface MailSendingOptions {
  /** How long a row may stay `sending` before it is settled without the server's word (default 10 min). */
  sendWindowMs?: number;
  /**
   * Longest one send holds its message's cluster-wide lock (default 5 min). A node killed mid-send keeps it that
   * long: its row is settled by another node, or after a restart, once it has run out.
   */
  lockTtlMs?: number;
  /** Where uploads are streamed to while a request is read (the system's temp folder by default). */
  uploadDir?: string;
  /**
   * Bulk sends: at most this many send attempts per mailbox within `bulkWindowMs` (default: the provider's rate per
   * minute, Exchange Online's 30).
   */
  bulkPerWindow?: number;
  bulkWindowMs?: number;
}

export interface MailSending {
  store: OutboxStore;
  sender: OutboxSender;
  compose: ComposeService;
  /** The administrator's attachment limit, read at each request. */
  maxAttachmentMb(): Promise<number>;
  uploadDir?: string;
  bulk: BulkSender;
}

/**
 * The sending side over the plugin's services and the reading side: compose, the outbox and its sender, sends
 * interrupted by a restart, and the cleanup when an account is removed. Resources and ACL are the plugin's
 * (sending.ts). Call once from `load()`, after `registerMailReading`.
 */
export function registerMailSending(
  app: Application,
  services: MailServices,
  reading: MailReading,
  options: MailSendingOptions = {},
): MailSending {
  const lockPrefix = `mailbridge:${app.name}`;

  const store = new OutboxStore(app.db);
  const copies = new MailboxCopies({
    db: app.db,
    folders: reading.folders,
    pool: reading.pool,
    events: services.events,
    folderNames: () => services.providers.folderNames(),
  });
  const settings = () => services.settings.load();
  const smtpEndpoint = async (accountId: number) => {
    const account = await services.accounts.findById(accountId);
    if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'The mailbox account no longer exists.');
    return services.providers.get(account.get('provider') as string).endpoints(await settings()).smtp;
  };
  const sender = new OutboxSender({
    store,
    locks: services.locks,
    lockPrefix,
    copies,
    smtpEndpoint,
    tokens: (accountId) => ({
      get: () => services.tokens.getAccessToken(accountId),
      refresh: (rejected) => services.tokens.invalidate(accountId, rejected),
    }),
    markReconnect: (accountId, reason) =>
      services.accounts.markStatus(accountId, MailAccountStatus.reconnectRequired, reason),
    resync: (accountId) => {
      void reading.syncNow(accountId).catch(() => undefined);
    },
    events: services.events,
    log: app.log,
    sendWindowMs: options.sendWindowMs,
    lockTtlMs: options.lockTtlMs,
  });
  const interrupted = new InterruptedSends({ store, sender, log: app.log });
  app.on('afterStart', () => interrupted.start());
  app.on('beforeStop', () => interrupted.stop());
  const bulk = new BulkSender({
    store,
    sender,
    locks: services.locks,
    lockPrefix,
    perWindow: async (accountId) => options.bulkPerWindow ?? (await smtpEndpoint(accountId)).messagesPerMinute,
    windowMs: options.bulkWindowMs,
    log: app.log,
  });
  app.on('afterStart', () => bulk.start());
  app.on('beforeStop', () => bulk.stop());
  const maxAttachmentMb = async () => (await settings()).maxAttachmentMb;
  const compose = new ComposeService({
    accounts: services.accounts,
    bodies: reading.bodies,
    store,
    sender,
    copies,
    maxAttachmentMb,
    log: app.log,
  });

  services.accounts.onRemove(async (account, { transaction }) => {
    await store.removeAccount(Number(account.get('id')), transaction);
  });

  const sending: MailSending = { store, sender, compose, maxAttachmentMb, uploadDir: options.uploadDir, bulk };
  app.container.register('mailbridge.sending', sending);
  return sending;
}
