/**
 * The record picker's requests and options: `<collection>:list` one page at a time, filtered on the collection's
 * title field, each row shown by that field (or its key). Pure: no requests here.
 */
import type { LinkableCollection } from './linkable-collections';

export const RECORD_PAGE_SIZE = 20;

export interface RecordOption {
  /** The record's key, as `mailLinks:link` takes it. */
  value: string;
  label: string;
}

/** The query string of one page of records matching what the user typed. */
export function recordListParams(c: LinkableCollection, search: string, page: number) {
  const text = search.trim();
  let filter: Record<string, unknown> | undefined;
  if (text && c.titleIsText) filter = { [c.titleField]: { $includes: text } };
  // A number field matches only a whole number; anything else typed there matches nothing rather than erring.
  else if (text) filter = /^-?\d+$/.test(text) ? { [c.titleField]: { $eq: Number(text) } } : undefined;
  return {
    page,
    pageSize: RECORD_PAGE_SIZE,
    sort: c.primaryKey,
    ...(filter ? { filter: JSON.stringify(filter) } : {}),
  };
}

/** Whether typed text can match anything: a number field cannot hold `abc`. */
export function canMatch(c: LinkableCollection, search: string): boolean {
  const text = search.trim();
  return !text || c.titleIsText || /^-?\d+$/.test(text);
}

/** A row as the picker shows it: its title, or its key when the title is empty. */
export function recordOption(c: LinkableCollection, row: Record<string, unknown>): RecordOption | null {
  const key = row[c.primaryKey];
  if (key === null || key === undefined || key === '') return null;
  const title = row[c.titleField];
  const label = title === null || title === undefined || title === '' ? String(key) : String(title);
  return { value: String(key), label };
}

/** Another page follows page `page` (from 1) of a list of `count` records. */
export function hasNextPage(page: number, count: number): boolean {
  return page * RECORD_PAGE_SIZE < count;
}
