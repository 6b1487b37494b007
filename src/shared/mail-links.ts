/** Names and shapes of links between mail and business records, shared by both halves of the plugin. */

export const MAIL_LINKS_RESOURCE = 'mailLinks';

export const MailLinksAction = {
  /** Links a message, or its whole conversation (`whole: true`), to a record the caller can view. */
  link: 'link',
  /** Removes one of the caller's links: by `linkId`, or by the same parameters `link` took. */
  unlink: 'unlink',
  /** The records a message is linked to, directly or through its conversation, that the caller can view. */
  listForMessage: 'listForMessage',
} as const;

/** What a link holds on to: one message (by RFC Message-ID) or its conversation (by thread key). */
export const MailLinkKind = { message: 'message', thread: 'thread' } as const;
export type MailLinkKind = (typeof MailLinkKind)[keyof typeof MailLinkKind];

/** `mailAccounts:disconnect` value: also remove the links made from that mailbox (kept by default). */
export const FORGET_LINKS_VALUE = 'forgetLinks';

/** One record a message is linked to, as `listForMessage` answers. */
export interface MailRecordLink {
  linkId: number;
  collection: string;
  /** The collection's title (its display name in NocoBase), or its name when it has none. */
  collectionTitle: string;
  recordKey: string;
  /** The record's title field value, or its key. */
  recordTitle: string;
  kind: MailLinkKind;
  /** The caller made this link, so `unlink` takes it. */
  own: boolean;
}

/** What `link` answers: the link, whether it was new or already there. */
export interface MailLinkView {
  linkId: number;
  collection: string;
  recordKey: string;
  kind: MailLinkKind;
  created: boolean;
}
