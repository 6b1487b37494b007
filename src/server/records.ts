import type { Application } from '@nocobase/server';
import { MAIL_RECORDS_RESOURCE, MailRecordsAction } from '../shared/mail-records';
import type { PrivateCollections } from './access/private-collections';
import { mailErrors } from './actions/mail-errors';
import { mailRecordMessageActions } from './actions/mail-record-message';
import { MailRecordsDeps, mailRecordsActions } from './actions/mail-records';
import { AccessLog } from './sharing/access-log';
import type { MailboxScope } from './sharing/mailbox-scope';
import { RecordMessageReader } from './sharing/record-message-reader';
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
  /** The rows a scope may show (the sharing policy's exclusions): by default all of the scope's mailboxes. */
  visibleRows?(scope: MailboxScope[]): Promise<object>;
  /** Where reads of colleagues' mail through a record are logged for their owners. */
  accessLog?: AccessLog;
}

const noLinks: LinkedKeysOf = async () => ({ messageIds: [], threadKeys: [] });

/** `mailRecords:list`: a business record's mail. Signed-in users only; the record's own ACL is checked inside. */
export function defineRecordsResources(
  app: Application,
  reading: MailReading,
  privateCollections: PrivateCollections,
  wiring: MailRecordsWiring = {},
): RecordMailQuery {
  const query = new RecordMailQuery({ db: app.db, textSearch: (q) => reading.search.conditions(q) });
  const deps: MailRecordsDeps = {
    query,
    scopeOf: wiring.scopeOf ?? ownMailboxScope(app.db),
    linkedKeysOf: wiring.linkedKeysOf ?? noLinks,
    isPrivate: (collection) => privateCollections.has(collection),
    pathReachesPrivate: (collection, path) => privateCollections.pathReaches(collection, path),
    visibleRows: wiring.visibleRows,
  };
  const log = wiring.accessLog ?? new AccessLog(app.db);
  const reader = new RecordMessageReader({ db: app.db, query, bodies: reading.bodies, log });
  app.resourceManager.define({
    name: MAIL_RECORDS_RESOURCE,
    middlewares: [mailErrors('user')],
    actions: { ...mailRecordsActions(deps), ...mailRecordMessageActions({ ...deps, reader }) },
    except: genericActionsExcept(app, Object.values(MailRecordsAction)),
  });
  app.acl.allow(MAIL_RECORDS_RESOURCE, Object.values(MailRecordsAction), 'loggedIn');
  return query;
}
