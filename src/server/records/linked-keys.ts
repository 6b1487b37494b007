/** What was linked to a record by hand: single messages by RFC Message-ID, conversations by thread key. */
export interface LinkedKeys {
  messageIds: string[];
  threadKeys: string[];
}

/** The links of one record (`collection` name, record key as a string). */
export type LinkedKeysOf = (collection: string, recordKey: string) => Promise<LinkedKeys>;
