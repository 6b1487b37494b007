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

const INTEGER_TYPES = new Set(['INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'MEDIUMINT']);
const BIGINT_MAX = 9223372036854775807n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a key could be a value of the collection's key field. PostgreSQL answers a comparison of an integer or
 * UUID column with text of another shape (`abc`, 20 digits) with an error, not with no rows: such a key names no
 * record, and is answered so before any query.
 */
export function keyFitsField(collection: Collection, field: string, key: string | number): boolean {
  const type = (collection.model.rawAttributes[field]?.type as { key?: string } | undefined)?.key;
  const text = String(key).trim();
  if (type && INTEGER_TYPES.has(type)) {
    if (!/^-?\d{1,19}$/.test(text)) return false;
    const n = BigInt(text);
    return n <= BIGINT_MAX && n >= -BIGINT_MAX - 1n;
  }
  if (type === 'UUID') return UUID.test(text);
  return true;
}
