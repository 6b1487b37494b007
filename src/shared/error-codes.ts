/**
 * Every mail error carries one of these codes; the server classifies once and the client can branch on it.
 * Stable strings: they are stored with accounts and sent to browsers.
 */
export const MailErrorCode = {
  /** The user must sign in to the mail provider again (grant revoked or expired, MFA, consent). */
  RECONNECT_REQUIRED: 'RECONNECT_REQUIRED',
  /** The app registration or settings are wrong (secret, tenant, client id): an admin must fix them. */
  ADMIN_CONFIGURATION: 'ADMIN_CONFIGURATION',
  /** Mail is not set up yet (no Client ID or secret saved). */
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  /** Network failure, 5xx or throttling: try again later, nothing to fix. */
  TRANSIENT: 'TRANSIENT',
  /** The provider refused in a way we do not recognise; its own words are kept. */
  PROVIDER_ERROR: 'PROVIDER_ERROR',
  /** The user cancelled the sign-in or declined the permissions. */
  ACCESS_DENIED: 'ACCESS_DENIED',
  /** The sign-in round trip cannot be trusted: unknown, reused, expired or foreign `state`. */
  INVALID_STATE: 'INVALID_STATE',
  /** Request input failed validation. */
  INVALID_INPUT: 'INVALID_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  /** The user's NocoBase permissions do not let them see what they asked for (e.g. a record's mail). */
  FORBIDDEN: 'FORBIDDEN',
} as const;
export type MailErrorCode = (typeof MailErrorCode)[keyof typeof MailErrorCode];

/** Who can fix it: shown so a user knows whether to retry, reconnect or ask the admin. */
export type MailErrorOwner = 'user' | 'admin' | 'none';
