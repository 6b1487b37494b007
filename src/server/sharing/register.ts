import type { Application } from '@nocobase/server';
import { ALL_MAIL_ACL_SNIPPET, SHARED_MAIL_ACL_SNIPPET } from '../../shared/constants';
import { MAIL_FOLDERS_RESOURCE, MailFoldersAction } from '../../shared/mail-reading';
import { mailFolderSharingActions } from '../actions/mail-sharing';
import type { SharingService } from './sharing-service';

/**
 * The sharing policy's ACL snippets and the owner's folder switch. The snippets grant no route by themselves (their
 * action paths match none): the policy code asks whether the caller's roles hold them (viewer-grants.ts).
 */
export function defineSharingResources(app: Application, sharing: SharingService): void {
  app.acl.registerSnippet({ name: SHARED_MAIL_ACL_SNIPPET, actions: ['mailbridgeSharedMail:view'] });
  app.acl.registerSnippet({ name: ALL_MAIL_ACL_SNIPPET, actions: ['mailbridgeAllMail:view'] });
  const folders = app.resourceManager.getResource(MAIL_FOLDERS_RESOURCE);
  folders.addAction(MailFoldersAction.setPrivate, mailFolderSharingActions({ sharing }).setPrivate as never);
  app.acl.allow(MAIL_FOLDERS_RESOURCE, MailFoldersAction.setPrivate, 'loggedIn');
}
