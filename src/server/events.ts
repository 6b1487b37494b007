import type { MailAccountStatus } from '../shared/constants';
import type { FlagColumns } from './messages/message-record';

/** What happened to messages that are still stored. */
export type MessageChange =
  | { kind: 'flags'; flags: Partial<FlagColumns> }
  | { kind: 'moved'; fromFolderId: number; toFolderId: number }
  /** The plain text kept for search (`indexedText`) was filled in. */
  | { kind: 'indexedText' };

/**
 * The plugin's domain events. Each is emitted once, on the node that did the work, after the write is committed;
 * listeners on other nodes hear nothing (see MAIL_CHANGED_NOTICE for the cross-node notice to clients). Messages
 * are written with hooks off (db/insert-new-rows.ts, bulk UPDATE/DELETE), so NocoBase's collection events never
 * see them: these are the way to learn what was stored.
 */
export interface MailEvents {
  /** New rows in `mailMessages`; `messageIds` are their Message-ID headers, in the order of `ids`. */
  messagesStored: { accountId: number; folderId: number; ids: number[]; messageIds: Array<string | null> };
  messagesChanged: { accountId: number; ids: number[]; change: MessageChange };
  /** Rows deleted: expunged or moved away on the server, deleted by the user, or their folder reset or gone. */
  messagesRemoved: { accountId: number; folderId: number; ids: number[] };
  /** The folder list of an account changed (folders removed on the server). */
  foldersChanged: { accountId: number };
  /** The SMTP server took the message (or the Sent folder proves it did). `messageId` is its Message-ID header. */
  messageSent: { outboxId: number; accountId: number; messageId: string };
  /**
   * The account's status changed, or it was connected (`connected`) or removed (`removed`: its messages, folders
   * and outbox went with it, with no `messagesRemoved` for them).
   */
  accountStatusChanged: { accountId: number; status: MailAccountStatus | 'removed'; reason: string | null };
}

export type MailEventName = keyof MailEvents;
export type MailEventListener<K extends MailEventName> = (payload: MailEvents[K]) => void | Promise<void>;

/**
 * Not a domain event: the app event that tells this node's clients "mail of this account changed, reload". It is
 * re-emitted on every node (a cluster message), after the account's change counter moved.
 */
export const MAIL_CHANGED_NOTICE = 'mailbridge:mailChanged';

/**
 * The typed event stream. `emit` runs the listeners one after the other and resolves when all are done; a
 * listener that throws is logged and does not stop the others nor the work that emitted.
 */
export class MailEventStream {
  private readonly listeners = new Map<MailEventName, Array<MailEventListener<MailEventName>>>();

  constructor(private readonly log?: { warn(message: string, meta?: object): void }) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends MailEventName>(name: K, listener: MailEventListener<K>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(listener as MailEventListener<MailEventName>);
    this.listeners.set(name, list);
    return () => {
      const i = list.indexOf(listener as MailEventListener<MailEventName>);
      if (i >= 0) list.splice(i, 1);
    };
  }

  async emit<K extends MailEventName>(name: K, payload: MailEvents[K]): Promise<void> {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        await listener(payload);
      } catch (err) {
        this.log?.warn(`a listener of the mail event ${name} failed`, { err });
      }
    }
  }
}
