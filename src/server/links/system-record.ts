import type { Database } from '@nocobase/database';
import { MailError, MailErrorCode } from '../errors/mail-error';
import { collectionNamed, keyFitsField, recordKeyFrom } from '../input/parse-record-ref';
import { keyFieldOf, RecordReader } from './record-ref';

/**
 * A RecordReader with the app's rights, for work that acts for nobody's request (a workflow node): the record must
 * exist, whoever could view it. Requests use the caller's permissions instead (records/viewable-record.ts).
 */
export function systemRecordReader(db: Database): RecordReader {
  return async (ref) => {
    const collection = collectionNamed(db, ref.collection);
    const key = recordKeyFrom(ref.key, 'recordKey');
    const keyField = keyFieldOf(collection);
    const row = keyFitsField(collection, keyField, key)
      ? await db.getRepository(collection.name).findOne({ filter: { [keyField]: key } })
      : null;
    if (!row) throw new MailError(MailErrorCode.NOT_FOUND, `No such record in ${collection.name}.`);
    const titleField = collection.titleField || keyField;
    const title = row.get(titleField);
    const found = String(row.get(keyField));
    return {
      collection: collection.name,
      key: found,
      title: title === undefined || title === null ? found : String(title),
    };
  };
}
