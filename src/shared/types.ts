/** Shapes of the server's responses that the client reads. Dates travel as ISO strings. */
import type { MailAccountStatus, MailProviderKey, OAUTH_RESULT_MESSAGE_TYPE } from './constants';
import type { SharingLevel } from './sharing';
import type { MailErrorCode } from './error-codes';

/**
 * `mailSettings:get`: the general settings plus the selected provider's fields (each provider's view type is in
 * `src/shared/providers/`). A secret column is never returned, only `<column>Set`.
 */
export interface MailSettingsView {
  /** The provider whose sign-in the settings configure. */
  provider: MailProviderKey;
  syncWindowDays: number;
  syncIntervalMinutes: number;
  /** Largest total size of a message's attachments, in MB. */
  maxAttachmentMb: number;
  /** Bounds on every mailbox's sharing level on records; null leaves that side to the owners. */
  sharingMinLevel: SharingLevel | null;
  sharingMaxLevel: SharingLevel | null;
  /** Holders of the all-mail snippet may open any mailbox's mail (every read logged). Off by default. */
  allMailEnabled: boolean;
  /** Address users open the app at, ending in `/`; the redirect URI is built from it. */
  publicUrl: string;
  /** Register exactly this as the redirect URI at the provider. */
  redirectUri: string;
  /** True once the provider's credentials are saved, i.e. users can connect. */
  configured: boolean;
  [providerField: string]: unknown;
}

/** `mailSettings:update` body (`values`). Omitted fields keep their value; a blank secret keeps the old one. */
export type MailSettingsInput = Partial<Omit<MailSettingsView, 'redirectUri' | 'configured'>>;

/** `mailSettings:test`: a verdict an admin can act on. */
export interface MailSettingsTestResult {
  ok: boolean;
  code?: MailErrorCode;
  message: string;
}

/** `mailAccounts:list` items and `mailAccounts:get`. Tokens never appear here. */
export interface MailAccountView {
  id: number | string;
  provider: MailProviderKey;
  address: string;
  displayName: string | null;
  status: MailAccountStatus;
  /** Why the status is not `connected`, in words; null when connected. */
  statusReason: string | null;
  connectedAt: string | null;
  lastTokenRefreshAt: string | null;
  /** The level the owner chose for colleagues on records, and the one in force after the admin's bounds. */
  sharingLevel: SharingLevel;
  effectiveSharingLevel: SharingLevel;
  createdAt: string;
  updatedAt: string;
}

/** `mailAccounts:connect` answer: open this URL in a popup or navigate to it. */
export interface MailConnectStart {
  authorizeUrl: string;
}

/** What the callback page posts to `window.opener` (target origin: the app's public URL). */
export interface OAuthResultMessage {
  type: typeof OAUTH_RESULT_MESSAGE_TYPE;
  ok: boolean;
  accountId?: number | string;
  /** Why connecting failed, in words. */
  error?: string;
  code?: MailErrorCode;
}
