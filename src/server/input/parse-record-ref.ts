import type { Collection, Database } from '@nocobase/database';
import { invalidInput } from '../errors/mail-error';

/** NocoBase collection names: letters, digits, `_` and `-`. A dot would name a data source or an association. */
const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
/** Keys are ids, UUIDs, nanoids or short codes; control characters are never part of one (SQLite ends a string at NUL). */
const RECORD_KEY_MAX = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A collection name from a request, well formed (it may name a collection that is gone); 400 otherwise. */
export function collectionNameFrom(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw invalidInput('Say which collection the record is in.');
  if (!COLLECTION_NAME.test(raw)) throw invalidInput(`There is no collection named ${raw.slice(0, 128)}.`);
  return raw;
}

/** The collection a request names a record in; 400 when there is none by that name. */
export function collectionNamed(db: Database, raw: unknown): Collection {
  const name = collectionNameFrom(raw);
  const collection = db.hasCollection(name) ? db.getCollection(name) : undefined;
  if (!collection) throw invalidInput(`There is no collection named ${name}.`);
  return collection;
}

/** A record key from a request (`filterByTk`, `recordKey`): a number or a short text; 400 otherwise. */
export function recordKeyFrom(raw: unknown, field: string): string | number {
  if (raw === undefined || raw === null || raw === '')
    throw invalidInput(`Say which record: pass its key as ${field}.`);
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw !== 'string' || raw.length > RECORD_KEY_MAX || CONTROL.test(raw))
    throw invalidInput(`${field} must be a record key: a number or a text of at most ${RECORD_KEY_MAX} characters.`);
  return raw;
}
