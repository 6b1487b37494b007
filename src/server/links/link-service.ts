import type { Database, Model } from '@nocobase/database';
import type { Transaction } from 'sequelize';
import { MailLinkKind, MailLinkView, MailRecordLink } from '../../shared/mail-links';
import { jsonColumn } from '../db/json-column';
import { invalidInput, MailError, MailErrorCode } from '../errors/mail-error';
import { parseId } from '../input/parse-id';
import { collectionNameFrom, recordKeyFrom } from '../input/parse-record-ref';
import type { MailAccess, UserId } from '../messages/access';
import { SUBJECT_KEY_PREFIX } from '../messages/thread-key';
import type { LinkedKeys } from '../records/linked-keys';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';
import type { LinkRow, LinkStore } from '../store/link-store';
import { collectionTitleOf, RecordReader, SeenRecord } from './record-ref';

/** What `link` and the parameter form of `unlink` take, as a request or a workflow gives it. */
export interface LinkInput {
  userId: UserId;
  /** The message's row id (`mailMessages.id`); it must be in one of the user's mailboxes. */
  messageRowId: unknown;
  collection: unknown;
  recordKey: unknown;
  /** The whole conversation rather than this one message. */
  whole?: unknown;
  /** How the record is read; the app's rights when left out (see systemRecordReader). */
  reader?: RecordReader;
}

export interface LinkServiceDeps {
  db: Database;
  access: MailAccess;
  store: LinkStore;
  /** The plugin's own collections: mail is never linked to mail. */
  isPrivate(collection: string): boolean;
  systemReader: RecordReader;
}

type Row = { get(key: string): unknown };

interface LinkedMail {
  accountId: number;
  messageId: string | null;
  threadKey: string | null;
}

function linkNotFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such link among the ones you made.');
}

/** `true`, `"true"`, `1`, `"1"`: a flag as JSON or a query string gives it. */
export function isOn(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/**
 * Links between mail and business records, for the `mailLinks` actions and for other plugins (`plugin.links`):
 * a link holds a Message-ID or a thread key, so whatever the sync does to the rows, the record keeps its mail.
 */
export class LinkService {
  constructor(private readonly deps: LinkServiceDeps) {}

  /** The user's message, with what a link can hold on to; 404 for anyone else's. */
  private async mailOf(userId: UserId, messageRowId: unknown): Promise<LinkedMail> {
    const id = parseId(messageRowId, 'message', 'messageId');
    const [row] = await this.deps.access.messages(userId, [id], ['id', 'accountId', 'messageId', 'threadKey']);
    const threadKey = (row.get('threadKey') as string | null) || null;
    return {
      accountId: Number(row.get('accountId')),
      messageId: (row.get('messageId') as string | null) || null,
      // `subject:` alone (no Message-ID, no References, no subject) would be every such message's conversation.
      threadKey: threadKey === SUBJECT_KEY_PREFIX ? null : threadKey,
    };
  }

  /** The kind of link asked for and the key it holds; a 400 when the message has nothing to hold on to. */
  private keyOf(mail: LinkedMail, whole: unknown): { kind: MailLinkKind; mailKey: string } {
    if (!mail.messageId && !mail.threadKey)
      throw invalidInput(
        'This message has neither a Message-ID nor a conversation to link by, so it cannot be linked.',
      );
    if (isOn(whole)) {
      if (!mail.threadKey) throw invalidInput('This message belongs to no known conversation, so link it on its own.');
      return { kind: MailLinkKind.thread, mailKey: mail.threadKey };
    }
    if (!mail.messageId)
      throw invalidInput(
        'This message has no Message-ID, so it cannot be linked on its own: link its whole conversation instead.',
      );
    return { kind: MailLinkKind.message, mailKey: mail.messageId };
  }

  private async readRecord(input: Pick<LinkInput, 'collection' | 'recordKey' | 'reader'>): Promise<SeenRecord> {
    const collection = collectionNameFrom(input.collection);
    if (this.deps.isPrivate(collection))
      throw invalidInput('Mail can be linked to business records only, not to mail data.');
    return (input.reader ?? this.deps.systemReader)({ collection, key: recordKeyFrom(input.recordKey, 'recordKey') });
  }

  private async mailboxAddress(accountId: number): Promise<string | null> {
    const row = (await this.deps.db
      .getModel(ACCOUNTS_COLLECTION)
      .findOne({ attributes: ['address'], where: { id: accountId }, raw: true })) as unknown as {
      address: string;
    } | null;
    return row ? row.address.toLowerCase() : null;
  }

  /** The record an outgoing message is to be linked to, read as `link` reads it: a 4xx before anything is stored. */
  recordFor(input: Pick<LinkInput, 'collection' | 'recordKey' | 'reader'>): Promise<SeenRecord> {
    return this.readRecord(input);
  }

  /**
   * Links an outgoing message (its outbox row) by its Message-ID to a record `recordFor` read, in the transaction
   * that stores the message: the link exists exactly when the message does, and holds for its copy in Sent.
   */
  async linkOutgoing(record: SeenRecord, outgoing: Row, options: { transaction?: Transaction } = {}): Promise<void> {
    const from = jsonColumn<{ address?: string } | null>(outgoing.get('from'), null);
    await this.deps.store.add(
      {
        collection: record.collection,
        recordKey: record.key,
        kind: MailLinkKind.message,
        mailKey: String(outgoing.get('messageId')),
        accountId: Number(outgoing.get('accountId')),
        mailbox: from?.address ? from.address.toLowerCase() : null,
        userId: Number(outgoing.get('userId')),
      },
      options,
    );
  }

  /** Links the message (or its conversation) to the record; linking again returns the same link. */
  async link(input: LinkInput): Promise<MailLinkView> {
    const mail = await this.mailOf(input.userId, input.messageRowId);
    const { kind, mailKey } = this.keyOf(mail, input.whole);
    const record = await this.readRecord(input);
    const { link, created } = await this.deps.store.add({
      collection: record.collection,
      recordKey: record.key,
      kind,
      mailKey,
      accountId: mail.accountId,
      mailbox: await this.mailboxAddress(mail.accountId),
      userId: Number(input.userId),
    });
    return { linkId: link.id, collection: link.collection, recordKey: link.recordKey, kind: link.kind, created };
  }

  /**
   * Removes the user's link: by `linkId` (404 if it is not one they made), or by the parameters `link` took, which
   * removes that link from any of their mailboxes (none there is no error: unlinking is idempotent).
   */
  async unlink(input: { userId: UserId; linkId: unknown } | LinkInput): Promise<{ removed: number }> {
    if ('linkId' in input && input.linkId !== undefined) {
      const link = await this.deps.store.byId(parseId(input.linkId, 'link', 'linkId'));
      if (!link || link.userId !== Number(input.userId)) throw linkNotFound();
      return { removed: await this.deps.store.remove([link.id]) };
    }
    const params = input as LinkInput;
    const mail = await this.mailOf(params.userId, params.messageRowId);
    const { kind, mailKey } = this.keyOf(mail, params.whole);
    const links = await this.deps.store.ofUser(Number(params.userId), {
      // The collection may be gone since: its links can still be removed.
      collection: collectionNameFrom(params.collection),
      recordKey: String(recordKeyFrom(params.recordKey, 'recordKey')),
      kind,
      mailKey,
    });
    return { removed: await this.deps.store.remove(links.map((l) => l.id)) };
  }

  /**
   * The records the user's message is linked to, by anyone, directly or through its conversation: one entry per
   * record and kind, only records the reader lets the user view (the others are left out, unnamed).
   */
  async linksOf(input: { userId: UserId; messageRowId: unknown; reader?: RecordReader }): Promise<MailRecordLink[]> {
    const mail = await this.mailOf(input.userId, input.messageRowId);
    const userId = Number(input.userId);
    const links = await this.deps.store.forMail(mail);
    const chosen = new Map<string, LinkRow>();
    for (const link of links) {
      const at = `${link.kind}\u0000${link.collection}\u0000${link.recordKey}`;
      const seen = chosen.get(at);
      // The user's own link first: it is the one they can unlink.
      if (!seen || (seen.userId !== userId && link.userId === userId)) chosen.set(at, link);
    }
    const reader = input.reader ?? this.deps.systemReader;
    const records = new Map<string, Promise<SeenRecord | null>>();
    const out: MailRecordLink[] = [];
    for (const link of chosen.values()) {
      if (this.deps.isPrivate(link.collection) || !this.deps.db.hasCollection(link.collection)) continue;
      const at = `${link.collection}\u0000${link.recordKey}`;
      if (!records.has(at)) records.set(at, viewable(reader, link));
      const record = await records.get(at);
      if (!record) continue;
      out.push({
        linkId: link.id,
        collection: link.collection,
        collectionTitle: collectionTitleOf(this.deps.db.getCollection(link.collection)),
        recordKey: link.recordKey,
        recordTitle: record.title,
        kind: link.kind,
        own: link.userId === userId,
      });
    }
    return out;
  }

  /** The record's links, as `mailRecords:list` ORs them into its matched messages (records/linked-keys.ts). */
  readonly linkedKeysOf = async (collection: string, recordKey: string): Promise<LinkedKeys> => {
    const links = await this.deps.store.ofRecord(collection, recordKey);
    const keysOf = (kind: MailLinkKind) => [...new Set(links.filter((l) => l.kind === kind).map((l) => l.mailKey))];
    return { messageIds: keysOf(MailLinkKind.message), threadKeys: keysOf(MailLinkKind.thread) };
  };

  /** "Forget this mailbox's links", in the transaction that disconnects it. */
  async forgetMailbox(account: Model, options: { transaction?: Transaction } = {}): Promise<void> {
    await this.deps.store.removeForMailbox(
      {
        accountId: Number(account.get('id')),
        userId: Number(account.get('userId')),
        address: String(account.get('address')),
      },
      options,
    );
  }
}

/** The record if the reader lets the user view it; null when it refuses or the record is gone. */
async function viewable(reader: RecordReader, link: LinkRow): Promise<SeenRecord | null> {
  try {
    return await reader({ collection: link.collection, key: link.recordKey });
  } catch (err) {
    if (err instanceof MailError) return null;
    throw err;
  }
}
