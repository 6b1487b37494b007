import type { Application } from '@nocobase/server';
import { MAIL_RECORDS_RESOURCE, MailRecordsAction } from '../shared/mail-records';
import type { PrivateCollections } from './access/private-collections';
import { mailErrors } from './actions/mail-errors';
import { mailRecordsActions } from './actions/mail-records';
import type { LinkedKeysOf } from './records/linked-keys';
import { MailboxScopeOf, ownMailboxScope } from './records/own-mailbox-scope';
import { RecordMailQuery } from './records/record-mail-query';
import { genericActionsExcept } from './reading';
import type { MailReading } from './sync/register';

export interface MailRecordsWiring {
  /** Whose mailboxes a viewer sees on records, and how much: by default their own, in full. */
  scopeOf?: MailboxScopeOf;
  /** What was linked to a record by hand: by default nothing. */
  linkedKeysOf?: LinkedKeysOf;
}

const noLinks: LinkedKeysOf = async () => ({ messageIds: [], threadKeys: [] });

/** `mailRecords:list`: a business record's mail. Signed-in users only; the record's own ACL is checked inside. */
export function defineRecordsResources(
  app: Application,
  reading: MailReading,
  privateCollections: PrivateCollections,
  wiring: MailRecordsWiring = {},
): RecordMailQuery {
  const query = new RecordMailQuery({ db: app.db, textSearch: (q) => reading.query.textSearch(q) });
  app.resourceManager.define({
    name: MAIL_RECORDS_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: mailRecordsActions({
      query,
      scopeOf: wiring.scopeOf ?? ownMailboxScope(app.db),
      linkedKeysOf: wiring.linkedKeysOf ?? noLinks,
      isPrivate: (collection) => privateCollections.has(collection),
      pathReachesPrivate: (collection, path) => privateCollections.pathReaches(collection, path),
    }),
    except: genericActionsExcept(app, Object.values(MailRecordsAction)),
  });
  app.acl.allow(MAIL_RECORDS_RESOURCE, Object.values(MailRecordsAction), 'loggedIn');
  return query;
}
