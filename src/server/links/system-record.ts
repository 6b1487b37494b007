import type { Database } from '@nocobase/database';
import { invalidInput, MailError, MailErrorCode } from '../errors/mail-error';
import { keyFieldOf, RecordReader } from './record-ref';

/**
 * A RecordReader with the app's rights, for work that acts for nobody's request (a workflow node): the record must
 * exist, whoever could view it. Requests use the caller's permissions instead (records/viewable-record.ts).
 */
export function systemRecordReader(db: Database): RecordReader {
  return async (ref) => {
    if (typeof ref.collection !== 'string' || !db.hasCollection(ref.collection))
      throw invalidInput(`There is no collection named ${String(ref.collection)}.`);
    if (ref.key === undefined || ref.key === null || ref.key === '' || typeof ref.key === 'object')
      throw invalidInput('Say which record: pass its key.');
    const collection = db.getCollection(ref.collection);
    const keyField = keyFieldOf(collection);
    const row = await db.getRepository(collection.name).findOne({ filter: { [keyField]: ref.key } });
    if (!row) throw new MailError(MailErrorCode.NOT_FOUND, `No such record in ${collection.name}.`);
    const titleField = collection.titleField || keyField;
    const title = row.get(titleField);
    const key = String(row.get(keyField));
    return { collection: collection.name, key, title: title === undefined || title === null ? key : String(title) };
  };
}
