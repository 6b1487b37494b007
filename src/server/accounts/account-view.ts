import type { MailAccountView } from '../../shared/types';
import { isSharingLevel } from '../sharing/effective-level';

type Row = { get(key: string): unknown };

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v as string);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The only shape an account leaves the server in: an allow-list, so a new column never leaks by default. */
export function toAccountView(row: Row): MailAccountView {
  const sharingLevel = row.get('sharingLevel');
  return {
    id: row.get('id') as number,
    provider: row.get('provider') as MailAccountView['provider'],
    address: row.get('address') as string,
    displayName: (row.get('displayName') as string | null) ?? null,
    status: row.get('status') as MailAccountView['status'],
    statusReason: (row.get('statusReason') as string | null) ?? null,
    connectedAt: iso(row.get('connectedAt')),
    lastTokenRefreshAt: iso(row.get('lastTokenRefreshAt')),
    sharingLevel: isSharingLevel(sharingLevel) ? sharingLevel : 'private',
    // The level before the admin's bounds; the accounts actions put the one in force here (sharing/).
    effectiveSharingLevel: isSharingLevel(sharingLevel) ? sharingLevel : 'private',
    createdAt: iso(row.get('createdAt')) as string,
    updatedAt: iso(row.get('updatedAt')) as string,
  };
}
