/** Names the Microsoft provider's server and client halves agree on. */

/** The key stored on every Microsoft account and on the settings row; never renamed. */
export const MICROSOFT_PROVIDER_KEY = 'microsoft';

/** Microsoft national clouds, plus `custom` for an authority and mail hosts entered by hand. */
export const MicrosoftCloud = { global: 'global', usGov: 'usgov', china: 'china', custom: 'custom' } as const;
export type MicrosoftCloud = (typeof MicrosoftCloud)[keyof typeof MicrosoftCloud];

/** The Microsoft part of `mailSettings:get` (the client secret itself is never returned). */
export interface MicrosoftSettingsView {
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
  /**
   * Custom cloud only: append sent mail to the Sent folder over IMAP, for an SMTP server that does not file its own
   * copy. Microsoft's clouds file it themselves (a second copy would appear twice).
   */
  appendSentCopy: boolean;
}
