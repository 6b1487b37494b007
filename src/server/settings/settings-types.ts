import type { SharingLevel } from '../../shared/sharing';

/** Settings every provider shares. */
export interface GeneralMailSettings {
  /** The provider whose sign-in the row configures (a registered provider key). */
  provider: string;
  publicUrl: string | null;
  syncWindowDays: number;
  syncIntervalMinutes: number;
  maxAttachmentMb: number;
  /** Bounds on every mailbox's sharing level; null leaves that side to the owners. */
  sharingMinLevel: SharingLevel | null;
  sharingMaxLevel: SharingLevel | null;
  /** Whether holders of the all-mail snippet may open any mailbox's mail. */
  allMailEnabled: boolean;
}

/**
 * The mail settings row as services use it: the general settings plus the columns each registered provider adds
 * (their defaults filled in, secrets decrypted and only ever held in memory). Providers read their own columns.
 */
export type MailSettingsRecord = GeneralMailSettings & { [column: string]: unknown };
