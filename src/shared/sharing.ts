/**
 * How much of a mailbox's mail its owner lets colleagues see on business records (never as a mailbox).
 * `private`: nothing; `metadata`: participants and date; `subject`: plus subject and snippet; `full`: plus body
 * and attachments.
 */
export const SHARING_LEVELS = ['private', 'metadata', 'subject', 'full'] as const;
export type SharingLevel = (typeof SHARING_LEVELS)[number];
export type VisibleLevel = Exclude<SharingLevel, 'private'>;
