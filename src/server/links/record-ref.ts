import type { Collection, Model } from '@nocobase/database';
import type { RecordRef } from '../records/viewable-record';

export type { RecordRef };

/** A record someone may link mail to: its key as a string, and its title for people. */
export interface SeenRecord {
  collection: string;
  key: string;
  title: string;
}

/**
 * Reads a record for whoever acts: in a request, with the caller's NocoBase permissions (403 without view
 * permission, 404 outside their data scope); for a workflow, with the app's rights. Throws a MailError otherwise.
 */
export type RecordReader = (ref: RecordRef) => Promise<SeenRecord>;

/** The field a collection's records are named by in requests: its filterTargetKey, else its primary key. */
export function keyFieldOf(collection: Collection): string {
  const key = collection.filterTargetKey;
  return typeof key === 'string' && key ? key : collection.model.primaryKeyAttribute;
}

/** A record's key as links store it, or undefined when it has none (a collection without a single key). */
export function recordKeyOf(collection: Collection, record: Model): string | undefined {
  const field = keyFieldOf(collection);
  const value = field ? record.get(field) : undefined;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint'
    ? String(value)
    : undefined;
}

/** A collection's title for people: NocoBase stores system titles as `{{t("Users")}}` templates. */
export function collectionTitleOf(collection: Collection): string {
  const title = (collection.options as { title?: unknown }).title;
  if (typeof title !== 'string' || !title.trim()) return collection.name;
  return /^\{\{\s*t\(\s*["'](.+?)["']/.exec(title)?.[1] ?? title;
}
