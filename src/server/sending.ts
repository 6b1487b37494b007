import type { Application } from '@nocobase/server';
import { MAIL_MESSAGES_RESOURCE } from '../shared/mail-reading';
import { MAIL_OUTBOX_RESOURCE, MailMessagesSendAction, MailOutboxAction } from '../shared/mail-sending';
import { mailErrors } from './actions/mail-errors';
import { mailOutboxActions, mailSendActions } from './actions/mail-send';
import type { MailSending } from './compose/register';
import type { LinkService } from './links/link-service';
import { OUTBOX_FILES_COLLECTION } from './store/collection-names';
import { genericActionsExcept } from './reading';

/**
 * The sending side's resources and ACL: `mailMessages:send|saveDraft|prepare` and `mailOutbox`; a send may name a
 * record to link the message to (`links`).
 */
export function defineSendingResources(app: Application, sending: MailSending, links: LinkService): void {
  const resources = app.resourceManager;
  const deps = {
    compose: sending.compose,
    links,
    store: sending.store,
    maxAttachmentMb: sending.maxAttachmentMb,
    uploadDir: sending.uploadDir,
    bulk: sending.bulk,
  };
  const messages = resources.getResource(MAIL_MESSAGES_RESOURCE);
  for (const [name, handler] of Object.entries(mailSendActions(deps))) messages.addAction(name, handler as never);
  // Only the plugin's own, owner-scoped handlers answer here: NocoBase's generic CRUD would not scope by owner.
  const own = Object.values(MailOutboxAction) as string[];
  resources.define({
    name: MAIL_OUTBOX_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailOutboxActions(deps),
    except: genericActionsExcept(app, own),
  });
  resources.define({ name: OUTBOX_FILES_COLLECTION, except: genericActionsExcept(app, []) });

  app.acl.allow(MAIL_MESSAGES_RESOURCE, Object.values(MailMessagesSendAction), 'loggedIn');
  app.acl.allow(MAIL_OUTBOX_RESOURCE, own, 'loggedIn');
}
