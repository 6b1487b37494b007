import { invalidInput } from '../errors/mail-error';

/** Decimal digits only, short enough to stay a safe integer: `1e3`, `0x10`, `+1` and `1.0` are not ids. */
const DIGITS = /^\d{1,15}$/;

/**
 * A record id from a request: a whole number from 1 up, as a JSON number or its decimal digits. A missing or
 * malformed id is the caller's mistake and answers 400 with what to fix, before any lookup; whether a well-formed
 * id names one of the user's records is the lookup's question (404, for another user's record too).
 *
 * @param what the thing the id names, for the message ("account", "message")
 * @param field the request field it came from, when the caller knows it ("filterByTk", "values.accountId")
 */
export function parseId(raw: unknown, what: string, field?: string): number {
  if (raw === undefined || raw === null || (typeof raw === 'string' && !raw.trim())) {
    throw invalidInput(field ? `Say which ${what}: pass its id as ${field}.` : `Say which ${what}: pass its id.`);
  }
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && DIGITS.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw invalidInput(`The ${what} id${field ? ` (${field})` : ''} must be a whole number from 1 up.`);
  }
  return n;
}
