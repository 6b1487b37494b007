/** The mail settings row as services use it: secret decrypted, hosts resolved by the provider. */
export interface MailSettingsRecord {
  clientId: string | null;
  /** Plain text; only ever held in memory. */
  clientSecret: string | null;
  tenant: string;
  cloud: string;
  authorityHost: string | null;
  imapHost: string | null;
  imapPort: number | null;
  smtpHost: string | null;
  smtpPort: number | null;
  publicUrl: string | null;
  syncWindowDays: number;
  syncIntervalMinutes: number;
  /** Append sent mail to the Sent folder over IMAP (servers that, unlike Outlook, do not file their own copy). */
  appendSentCopy: boolean;
  maxAttachmentMb: number;
}

/** Stored column values a save may change (the secret already encrypted). */
export type MailSettingsColumns = Partial<Omit<MailSettingsRecord, 'clientSecret'>> & { clientSecret?: string };
