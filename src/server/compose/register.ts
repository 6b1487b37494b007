import { MailAccountStatus } from '../../shared/constants';
import { MAIL_MESSAGES_RESOURCE } from '../../shared/mail-reading';
import { MAIL_OUTBOX_RESOURCE, MailMessagesSendAction, MailOutboxAction } from '../../shared/mail-sending';
import { mailErrors } from '../actions/mail-errors';
import { mailOutboxActions, mailSendActions } from '../actions/mail-send';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { PluginEmailManagerServer } from '../plugin';
import { getMailReading } from '../sync/register';
import { ComposeService } from './compose-service';
import { MailboxCopies } from './mailbox-copies';
import { InterruptedSends } from './interrupted-sends';
import { OutboxSender } from './outbox-sender';
import { OUTBOX_FILES_COLLECTION } from '../store/collection-names';
import { OutboxStore } from '../store/outbox-store';

/** Tuning, from the plugin's options (`sending`); the defaults suit production. */
export interface MailSendingOptions {
  /** How long a row may stay `sending` before it is settled without the server's word (default 10 min). */
  sendWindowMs?: number;
}

export interface MailSending {
  store: OutboxStore;
  sender: OutboxSender;
  compose: ComposeService;
}

/**
 * Wires sending mail into the plugin: `mailMessages:send|saveDraft|prepare`, the `mailOutbox` resource, and the
 * cleanup when an account is removed. Needs the reading side (call after `registerMailReading`).
 */
export function registerMailSending(plugin: PluginEmailManagerServer): MailSending {
  const app = plugin.app;
  const reading = getMailReading(app);
  const lockPrefix = `mailbridge:${app.name}`;
  const options = (plugin.options.sending ?? {}) as MailSendingOptions;

  const store = new OutboxStore(app.db);
  const copies = new MailboxCopies({
    db: app.db,
    folders: reading.folders,
    pool: reading.pool,
    changed: async (accountId) => {
      await reading.states.bumpChange(accountId);
      app.emit('mailbridge:mailChanged', { accountId });
    },
  });
  const settings = () => plugin.settings.load();
  const sender = new OutboxSender({
    store,
    lockManager: app.lockManager,
    lockPrefix,
    copies,
    smtpEndpoint: async (accountId) => {
      const account = await plugin.accounts.findById(accountId);
      if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'The mailbox account no longer exists.');
      return plugin.providers.get(account.get('provider') as string).endpoints(await settings()).smtp;
    },
    tokens: (accountId) => ({
      get: () => plugin.tokens.getAccessToken(accountId),
      refresh: (rejected) => plugin.tokens.invalidate(accountId, rejected),
    }),
    markReconnect: (accountId, reason) => plugin.accounts.markStatus(accountId, MailAccountStatus.reconnectRequired, reason),
    resync: (accountId) => {
      void reading.syncNow(accountId).catch(() => undefined);
    },
    log: app.log,
    sendWindowMs: options.sendWindowMs,
  });
  const interrupted = new InterruptedSends({ store, sender, log: app.log });
  app.on('afterStart', () => interrupted.start());
  app.on('beforeStop', () => interrupted.stop());
  const maxAttachmentMb = async () => (await settings()).maxAttachmentMb;
  const compose = new ComposeService({ accounts: plugin.accounts, bodies: reading.bodies, store, sender, copies, maxAttachmentMb, log: app.log });

  plugin.accounts.onRemove(async (account, { transaction }) => {
    await store.removeAccount(Number(account.get('id')), transaction);
  });

  const resources = app.resourceManager;
  const deps = { compose, store, maxAttachmentMb };
  const messages = resources.getResource(MAIL_MESSAGES_RESOURCE);
  for (const [name, handler] of Object.entries(mailSendActions(deps))) messages.addAction(name, handler as never);
  // Only the plugin's own, owner-scoped handlers answer here: NocoBase's generic CRUD would not scope by owner.
  const own = Object.values(MailOutboxAction) as string[];
  resources.define({
    name: MAIL_OUTBOX_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailOutboxActions(deps),
    except: [...resources.getRegisteredHandlers().keys()].filter((k) => !own.includes(k as string)) as string[],
  });
  resources.define({ name: OUTBOX_FILES_COLLECTION, except: [...resources.getRegisteredHandlers().keys()] as string[] });

  app.acl.allow(MAIL_MESSAGES_RESOURCE, Object.values(MailMessagesSendAction), 'loggedIn');
  app.acl.allow(MAIL_OUTBOX_RESOURCE, own, 'loggedIn');

  const sending = { store, sender, compose };
  app.container.register('mailbridge.sending', sending);
  return sending;
}
