/** How tests and the sandbox reach one running mail stack. Plain JSON: it travels through env and files. */
export interface MailStack {
  name: string;
  portBase: number;
  /** `host:port` for MSAL's `knownAuthorities` (the port is part of the cached account's environment). */
  authorityHost: string;
  /** Authority base: append a tenant segment (`common`, `organizations`, a tenant id). */
  authorityUrl: string;
  /** Test hooks of the identity stand-in (plain HTTP on loopback). */
  hooksUrl: string;
  /** Dovecot with its full capability list (CONDSTORE, QRESYNC, ...). */
  imap: { host: string; port: number; secure: true };
  /** The same mailboxes behind Outlook's capability list (no CONDSTORE/QRESYNC/ENABLE). */
  imapOutlook: { host: string; port: number; secure: true };
  /** Submission with STARTTLS and XOAUTH2, like smtp.office365.com:587. */
  smtp: { host: string; port: number; secure: false };
  /** No-auth SMTP for tests to deliver "incoming" mail. */
  smtpInbound: { host: string; port: number };
  /** Tenant id of every `@example.test` user. */
  tenantId: string;
  /** The app registered at start (the sandbox's; tests may register their own). */
  defaultApp: { clientId: string; clientSecret: string; redirectUris: string[] };
  caPath: string;
  stateDir: string;
}
