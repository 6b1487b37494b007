import type { Database } from '@nocobase/database';
import type { ImapFlow } from 'imapflow';
import { MailFolderRole } from '../../shared/mail-reading';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailEventStream } from '../events';
import type { FolderStore } from '../store/folder-store';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import type { ImapConnectionPool } from '../transport/imap/connection-pool';
import { FolderNames, folderRole } from '../transport/imap/folder-role';

/** Where a message copy sits on the IMAP server: its UID means something only within that UIDVALIDITY. */
export interface ImapCopyRef {
  path: string;
  uidValidity: string;
  uid: number;
}

export interface MailboxCopiesDeps {
  db: Database;
  folders: FolderStore;
  pool: ImapConnectionPool;
  /** Told of the flag set here. */
  events: MailEventStream;
  /** The providers' names of standard folders, for servers that list them without special-use flags. */
  folderNames(): FolderNames;
}

/**
 * What sending writes to the mailbox over IMAP: the copy in Sent (for servers that do not file one themselves),
 * the draft in Drafts, and the `\Answered` flag (RFC 3501 §2.3.2) on the message replied to.
 */
export class MailboxCopies {
  constructor(private readonly deps: MailboxCopiesDeps) {}

  /** The folder with this role: from the synced folder list, else straight from LIST (not synced yet). */
  private async folderPath(accountId: number, role: MailFolderRole, client: ImapFlow): Promise<string> {
    const stored = (await this.deps.folders.list(accountId)).find((f) => f.role === role);
    if (stored) return stored.path;
    const listed = (await client.list()).find((f) => folderRole(f, this.deps.folderNames()) === role);
    if (listed) return listed.path;
    throw new MailError(
      MailErrorCode.NOT_FOUND,
      `This mailbox has no ${role === MailFolderRole.sent ? 'Sent' : 'Drafts'} folder.`,
    );
  }

  /** APPEND (RFC 3501 §6.3.11) to the Sent folder, marked read. */
  async appendSent(accountId: number, raw: Buffer): Promise<void> {
    await this.deps.pool.use(accountId, async (client) => {
      const path = await this.folderPath(accountId, MailFolderRole.sent, client);
      await client.append(path, raw, ['\\Seen']);
    });
  }

  /**
   * Whether the Sent folder holds a message with this Message-ID (UID SEARCH HEADER, RFC 3501 §6.4.4): the
   * server's own word that a send it filed there went out.
   */
  async isInSent(accountId: number, messageId: string): Promise<boolean> {
    const path = await this.deps.pool.use(accountId, (client) =>
      this.folderPath(accountId, MailFolderRole.sent, client),
    );
    return this.deps.pool.withFolder(accountId, path, async (client) => {
      const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
      return Array.isArray(uids) && uids.length > 0;
    });
  }

  /** Stores the draft in Drafts with `\Draft`, then removes the copy it replaces. Returns where it now is. */
  async saveDraft(accountId: number, raw: Buffer, previous: ImapCopyRef | null): Promise<ImapCopyRef | null> {
    const saved = await this.deps.pool.use(accountId, async (client) => {
      const path = await this.folderPath(accountId, MailFolderRole.drafts, client);
      const res = await client.append(path, raw, ['\\Draft', '\\Seen']);
      // Without UIDPLUS (RFC 4315) the server does not say the new UID; the next save cannot replace this copy then.
      return res && res.uid && res.uidValidity !== undefined
        ? { path, uid: Number(res.uid), uidValidity: String(res.uidValidity) }
        : null;
    });
    if (previous) await this.removeCopy(accountId, previous);
    return saved;
  }

  /** Deletes one stored copy (a replaced or sent draft), if that mailbox still has the same UIDVALIDITY. */
  async removeCopy(accountId: number, ref: ImapCopyRef): Promise<void> {
    await this.deps.pool.withFolder(accountId, ref.path, async (client) => {
      if (!client.mailbox || String(client.mailbox.uidValidity) !== ref.uidValidity) return;
      // STORE \Deleted + UID EXPUNGE (RFC 4315): only this message goes.
      await client.messageDelete(String(ref.uid), { uid: true });
    });
  }

  /** Sets `\Answered` on the server, then on the local copy. */
  async markAnswered(messageRowId: number): Promise<void> {
    const model = this.deps.db.getModel(MESSAGES_COLLECTION);
    const row = await model.findByPk(messageRowId, { attributes: ['id', 'accountId', 'folderId', 'uid', 'answered'] });
    if (!row || row.get('answered')) return;
    const folder = await this.deps.folders.byId(Number(row.get('folderId')));
    if (!folder) return;
    const done = await this.deps.pool.withFolder(folder.accountId, folder.path, async (client) => {
      // A different UIDVALIDITY means the stored UID names another message now: leave it to the next sync.
      if (!client.mailbox || String(client.mailbox.uidValidity) !== folder.cursor.uidValidity) return false;
      await client.messageFlagsAdd(String(row.get('uid')), ['\\Answered'], { uid: true, silent: true });
      return true;
    });
    if (!done) return;
    await model.update({ answered: true }, { where: { id: messageRowId }, hooks: false });
    await this.deps.events.emit('messagesChanged', {
      accountId: folder.accountId,
      ids: [Number(row.get('id'))],
      change: { kind: 'flags', flags: { answered: true } },
    });
  }
}
