import type { Application } from '@nocobase/server';
import {
  MAIL_FOLDERS_RESOURCE,
  MAIL_MESSAGES_RESOURCE,
  MailAccountsSyncAction,
  MailFoldersAction,
  MailMessagesAction,
} from '../shared/mail-reading';
import { MAIL_ACCOUNTS_RESOURCE } from '../shared/constants';
import { mailAccountSyncActions } from './actions/mail-account-sync';
import { mailErrors } from './actions/mail-errors';
import { mailFoldersActions } from './actions/mail-folders';
import { mailMessagesActions } from './actions/mail-messages';
import { SYNC_STATES_COLLECTION } from './store/collection-names';
import type { MailReading, MailReadingOptions } from './sync/register';

/** Names of NocoBase's generic actions (create, update, destroy…) other than a resource's own ones. */
export function genericActionsExcept(app: Application, own: readonly string[]): string[] {
  return [...app.resourceManager.getRegisteredHandlers().keys()].filter((k) => !own.includes(k as string)) as string[];
}

/** The reading side's resources and ACL: `mailMessages`, `mailFolders`, `mailAccounts:sync|syncStatus`. */
export function defineReadingResources(app: Application, reading: MailReading, options: MailReadingOptions = {}): void {
  const { access, query, bodies, actions, states, serverSearch } = reading;
  const resources = app.resourceManager;
  // NocoBase's generic CRUD handlers (create, update, destroy…) would otherwise answer on these collections for
  // any role with broad rights, unscoped: only the plugin's own, owner-scoped actions exist here.
  resources.define({
    name: MAIL_MESSAGES_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailMessagesActions({
      query,
      bodies,
      actions,
      serverSearch,
      markReadOnOpen: () => options.markReadOnOpen !== false,
    }),
    except: genericActionsExcept(app, Object.values(MailMessagesAction)),
  });
  resources.define({
    name: MAIL_FOLDERS_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailFoldersActions({ query }),
    except: genericActionsExcept(app, Object.values(MailFoldersAction)),
  });
  resources.define({ name: SYNC_STATES_COLLECTION, except: genericActionsExcept(app, []) });
  const accountResource = resources.getResource(MAIL_ACCOUNTS_RESOURCE);
  const syncActions = mailAccountSyncActions({
    access,
    syncNow: (id, o) => reading.syncNow(id, o),
    statuses: (ids) => states.views(ids),
  });
  accountResource.addAction(MailAccountsSyncAction.sync, syncActions.sync as never);
  accountResource.addAction(MailAccountsSyncAction.syncStatus, syncActions.syncStatus as never);

  app.acl.allow(MAIL_MESSAGES_RESOURCE, Object.values(MailMessagesAction), 'loggedIn');
  app.acl.allow(MAIL_FOLDERS_RESOURCE, Object.values(MailFoldersAction), 'loggedIn');
  app.acl.allow(MAIL_ACCOUNTS_RESOURCE, Object.values(MailAccountsSyncAction), 'loggedIn');
}
