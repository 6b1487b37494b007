import { invalidInput } from '../errors/mail-error';
import { cleanText } from '../messages/snippet';

/**
 * Request parameters other than ids: flags, page numbers, dates and text from a query string or JSON body. A
 * malformed value answers 400 naming the parameter and what it takes; a missing one is `undefined` (or the fallback).
 */

export function bool(raw: unknown, name: string): boolean | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === true || raw === 'true' || raw === '1' || raw === 1) return true;
  if (raw === false || raw === 'false' || raw === '0' || raw === 0) return false;
  throw invalidInput(`${name} must be true or false.`);
}

export function int(raw: unknown, name: string, min: number, max: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalidInput(`${name} must be a whole number from ${min} to ${max}.`);
  return n;
}

export function date(raw: unknown, name: string): Date | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const d = new Date(String(raw));
  if (typeof raw !== 'string' || Number.isNaN(d.getTime()))
    throw invalidInput(`${name} must be a date such as 2024-05-01 or 2024-05-01T12:00:00Z.`);
  return d;
}

/** `dateFrom` and `dateTo`, each optional; from after to is a mistake rather than an empty list. */
export function dateRange(rawFrom: unknown, rawTo: unknown): { dateFrom?: Date; dateTo?: Date } {
  const dateFrom = date(rawFrom, 'dateFrom');
  const dateTo = date(rawTo, 'dateTo');
  if (dateFrom && dateTo && dateFrom > dateTo) throw invalidInput('dateFrom must not be after dateTo.');
  return { dateFrom, dateTo };
}

export function text(raw: unknown, name: string, max: number): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') throw invalidInput(`${name} must be text.`);
  // NUL and other controls match nothing stored (the sync strips them) and SQLite cuts a statement at a NUL.
  const t = cleanText(raw).trim();
  if (t.length > max) throw invalidInput(`${name} can be at most ${max} characters.`);
  return t || undefined;
}

/** Received or sent mail (`direction`), as a list filters it. */
export function direction(raw: unknown): 'received' | 'sent' | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (raw === 'received' || raw === 'sent') return raw;
  throw invalidInput('direction must be received or sent.');
}
