import { SHARING_LEVELS, SharingLevel } from '../../shared/sharing';

/** The admin's bounds on every mailbox's level; null leaves that side open. */
export interface SharingBounds {
  min: SharingLevel | null;
  max: SharingLevel | null;
}

const rank = (level: SharingLevel) => SHARING_LEVELS.indexOf(level);

export function isSharingLevel(value: unknown): value is SharingLevel {
  return typeof value === 'string' && (SHARING_LEVELS as readonly string[]).includes(value);
}

/**
 * The level a mailbox is shared at: the owner's choice raised to the admin's minimum, then lowered to the maximum.
 * The maximum wins a conflict, so a "never share" policy holds even against a stale minimum. An unknown or missing
 * owner level (a row stored before the column existed) counts as `private`.
 */
export function effectiveLevel(owner: SharingLevel | null | undefined, bounds: SharingBounds): SharingLevel {
  let r = rank(isSharingLevel(owner) ? owner : 'private');
  if (bounds.min) r = Math.max(r, rank(bounds.min));
  if (bounds.max) r = Math.min(r, rank(bounds.max));
  return SHARING_LEVELS[r];
}
