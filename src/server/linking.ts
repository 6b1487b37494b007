import type { Application } from '@nocobase/server';
import { MAIL_LINKS_RESOURCE, MailLinksAction } from '../shared/mail-links';
import type { PrivateCollections } from './access/private-collections';
import { mailErrors } from './actions/mail-errors';
import { mailLinksActions } from './actions/mail-links';
import { LinkService } from './links/link-service';
import { removeLinksWithRecords } from './links/record-deletions';
import { systemRecordReader } from './links/system-record';
import { MailAccess } from './messages/access';
import { genericActionsExcept } from './reading';
import { LinkStore } from './store/link-store';

/** The link service over the app's database; a deleted record takes its links with it from now on. */
export function createLinks(app: Application, collections: PrivateCollections): LinkService {
  const store = new LinkStore(app.db);
  const isPrivate = (name: string) => collections.has(name);
  removeLinksWithRecords(app.db, store, isPrivate);
  return new LinkService({
    db: app.db,
    access: new MailAccess(app.db),
    store,
    isPrivate,
    systemReader: systemRecordReader(app.db),
  });
}

/** `mailLinks:link|unlink|listForMessage` for signed-in users; the record's own ACL is checked inside. */
export function defineLinkResources(app: Application, links: LinkService): void {
  app.resourceManager.define({
    name: MAIL_LINKS_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailLinksActions({ links }),
    except: genericActionsExcept(app, Object.values(MailLinksAction)),
  });
  app.acl.allow(MAIL_LINKS_RESOURCE, Object.values(MailLinksAction), 'loggedIn');
}
