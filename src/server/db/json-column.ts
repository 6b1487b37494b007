/**
 * A JSON column's value as stored: PostgreSQL hands it back parsed, some SQLite paths as text. Unreadable or
 * missing values become `fallback`, so one bad row never breaks a listing.
 */
export function jsonColumn<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}
