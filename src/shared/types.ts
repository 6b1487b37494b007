/** Shapes of the server's responses that the client reads. Dates travel as ISO strings. */
import type { MailAccountStatus, MailProviderKey, MicrosoftCloud, OAUTH_RESULT_MESSAGE_TYPE } from './constants';
import type { MailErrorCode } from './error-codes';

/** `mailSettings:get`. The client secret itself is never returned. */
export interface MailSettingsView {
  clientId: string;
  clientSecretSet: boolean;
  tenant: string;
  cloud: MicrosoftCloud;
  /** Sign-in host (`login.microsoftonline.com` for the global cloud). */
  authorityHost: string;
  imapHost: string;
  imapPort: number;
  smtpHost: string;
  smtpPort: number;
  syncWindowDays: number;
  syncIntervalMinutes: number;
  /**
   * Append sent mail to the Sent folder over IMAP. Off for Outlook, which files its own copy in Sent Items; on for
   * servers that do not (a copy would otherwise be missing, or with Outlook appear twice).
   */
  appendSentCopy: boolean;
  /** Largest total size of a message's attachments, in MB. */
  maxAttachmentMb: number;
  /** Address users open the app at, ending in `/`; the redirect URI is built from it. */
  publicUrl: string;
  /** Register exactly this as a Web redirect URI in Entra. */
  redirectUri: string;
  /** True once the Client ID and secret are saved, i.e. users can connect. */
  configured: boolean;
}

/** `mailSettings:update` body (`values`). Omitted fields keep their value; a blank secret keeps the old one. */
export type MailSettingsInput = Partial<Omit<MailSettingsView, 'clientSecretSet' | 'redirectUri' | 'configured'>> & {
  clientSecret?: string;
};

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
