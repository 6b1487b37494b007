import type { Application } from '@nocobase/server';
import {
  ALL_MAIL_ACL_SNIPPET,
  MAIL_ACCOUNTS_RESOURCE,
  MAIL_ALL_MAIL_RESOURCE,
  MailAccountsAction,
  MailAllMailAction,
  SHARED_MAIL_ACL_SNIPPET,
} from '../../shared/constants';
import { MAIL_FOLDERS_RESOURCE, MailFoldersAction } from '../../shared/mail-reading';
import { mailAllMailActions } from '../actions/mail-all-mail';
import { mailErrors } from '../actions/mail-errors';
import { mailAccessLogActions, mailFolderSharingActions } from '../actions/mail-sharing';
import type { MessageBodies } from '../messages/message-body';
import type { SettingsService } from '../settings/settings-service';
import type { MailboxScopeOf } from '../records/own-mailbox-scope';
import { AccessLog } from './access-log';
import type { MailboxScope } from './mailbox-scope';
import { AllMailService } from './all-mail';
import type { SharingService } from './sharing-service';
import { rolesHoldSnippet } from './viewer-grants';

/** What the records' mail takes from the sharing policy: the viewer's scope, its exclusions, the access log. */
export interface SharingWiring {
  accessLog: AccessLog;
  scopeOf: MailboxScopeOf;
  visibleRows(scope: MailboxScope[]): Promise<object>;
}

/**
 * The sharing policy's ACL snippets, the owner's folder switch and access log, and the admin's all-mail view. The
 * snippets grant no route by themselves (their action paths match none): the policy code asks whether the caller's
 * roles hold them (viewer-grants.ts).
 */
export function defineSharingResources(
  app: Application,
  deps: { sharing: SharingService; settings: SettingsService; bodies: MessageBodies },
): SharingWiring {
  app.acl.registerSnippet({ name: SHARED_MAIL_ACL_SNIPPET, actions: ['mailbridgeSharedMail:view'] });
  app.acl.registerSnippet({ name: ALL_MAIL_ACL_SNIPPET, actions: ['mailbridgeAllMail:view'] });

  const folders = app.resourceManager.getResource(MAIL_FOLDERS_RESOURCE);
  folders.addAction(MailFoldersAction.setPrivate, mailFolderSharingActions(deps).setPrivate as never);
  app.acl.allow(MAIL_FOLDERS_RESOURCE, MailFoldersAction.setPrivate, 'loggedIn');

  const log = new AccessLog(app.db);
  const accounts = app.resourceManager.getResource(MAIL_ACCOUNTS_RESOURCE);
  accounts.addAction(MailAccountsAction.accessLog, mailAccessLogActions({ log }).accessLog as never);

  const allMail = new AllMailService({ db: app.db, ...deps, log });
  app.resourceManager.define({
    name: MAIL_ALL_MAIL_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailAllMailActions({ allMail }),
    only: Object.values(MailAllMailAction),
  });
  app.acl.allow(MAIL_ALL_MAIL_RESOURCE, Object.values(MailAllMailAction), 'loggedIn');

  return {
    accessLog: log,
    // Own mailboxes in full; with the shared-mail snippet, colleagues' at their level in force.
    scopeOf: (userId, roles) =>
      deps.sharing.scopesFor({ userId, mayViewShared: rolesHoldSnippet(app.acl, roles, SHARED_MAIL_ACL_SNIPPET) }),
    visibleRows: (scope) => deps.sharing.messageWhere(scope),
  };
}
