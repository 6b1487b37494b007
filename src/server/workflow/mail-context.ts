import type { Database } from '@nocobase/database';
import type { MailAddress, MailAttachmentMeta } from '../../shared/mail-reading-types';
import { jsonColumn } from '../db/json-column';
import type { MessageBodies } from '../messages/message-body';
import { ACCOUNTS_COLLECTION, FOLDERS_COLLECTION } from '../store/collection-names';

type Row = { get(key: string): unknown };

/** The mailbox a workflow event happened in, and its owner (a `users` record). */
export interface MailboxContext {
  accountId: number;
  address: string;
  displayName: string | null;
  ownerId: number;
  owner: { id: number; nickname: string | null; email: string | null; username: string | null };
}

/** The "Mail received" trigger's variables. */
export interface MailReceivedContext {
  message: {
    id: number;
    messageId: string | null;
    threadKey: string | null;
    folder: { id: number; role: string | null; path: string };
    from: MailAddress[];
    /** The first sender's address, for a condition or a "create record" field. */
    fromAddress: string;
    to: MailAddress[];
    cc: MailAddress[];
    subject: string;
    date: string | null;
    snippet: string;
    text: string | null;
    /** Sanitised on the server (remote content disabled), as the mailbox shows it. */
    html: string | null;
    /** Why the body could not be read, if it could not; the other variables are still there. */
    bodyError: string | null;
    hasAttachments: boolean;
    attachments: Array<Pick<MailAttachmentMeta, 'part' | 'filename' | 'contentType' | 'size'>>;
  };
  mailbox: MailboxContext;
}

/** The "Mail sent" trigger's variables. */
export interface MailSentContext {
  message: {
    outboxId: number;
    messageId: string;
    mode: string;
    from: MailAddress;
    to: MailAddress[];
    cc: MailAddress[];
    bcc: MailAddress[];
    subject: string;
    html: string;
    sentAt: string | null;
    inReplyTo: string | null;
  };
  mailbox: MailboxContext;
}

function iso(v: unknown): string | null {
  return v ? new Date(v as string).toISOString() : null;
}

/** Reads what the workflow variables show about a mailbox and a message. */
export class MailContexts {
  constructor(private readonly deps: { db: Database; bodies: MessageBodies }) {}

  /** Role names of a user, for the triggers' "mailboxes of users with a role". */
  async ownerRoles(userId: number): Promise<string[]> {
    const user = (await this.deps.db
      .getRepository('users')
      .findOne({ filterByTk: userId, appends: ['roles'] })) as Row | null;
    return ((user?.get('roles') as Row[] | undefined) ?? []).map((r) => r.get('name') as string);
  }

  async mailbox(accountId: number): Promise<MailboxContext | null> {
    const account = (await this.deps.db.getModel(ACCOUNTS_COLLECTION).findByPk(accountId)) as Row | null;
    if (!account) return null;
    const ownerId = Number(account.get('userId'));
    const owner = (await this.deps.db.getModel('users').findByPk(ownerId)) as Row | null;
    return {
      accountId,
      address: account.get('address') as string,
      displayName: (account.get('displayName') as string | null) ?? null,
      ownerId,
      owner: {
        id: ownerId,
        nickname: (owner?.get('nickname') as string | null) ?? null,
        email: (owner?.get('email') as string | null) ?? null,
        username: (owner?.get('username') as string | null) ?? null,
      },
    };
  }

  /**
   * The received message with its body, parsed and sanitised as on first open (cached for the mailbox too). A body
   * that cannot be fetched (the message moved away meanwhile, the server down) leaves text and html null and says why.
   */
  async received(row: Row, mailbox: MailboxContext): Promise<MailReceivedContext> {
    const id = Number(row.get('id'));
    const folder = (await this.deps.db.getModel(FOLDERS_COLLECTION).findByPk(Number(row.get('folderId')))) as Row;
    let text: string | null = null;
    let html: string | null = null;
    let bodyError: string | null = null;
    try {
      const view = await this.deps.bodies.get(mailbox.ownerId, id);
      text = view.text;
      html = view.html;
      bodyError = view.bodyError;
    } catch (err) {
      bodyError = (err as { userMessage?: string }).userMessage ?? 'The message body could not be read.';
    }
    const from = jsonColumn<MailAddress[]>(row.get('from'), []);
    const attachments = jsonColumn<MailAttachmentMeta[]>(row.get('attachments'), []);
    return {
      message: {
        id,
        messageId: (row.get('messageId') as string | null) ?? null,
        threadKey: (row.get('threadKey') as string | null) ?? null,
        folder: {
          id: Number(row.get('folderId')),
          role: (folder?.get('role') as string | null) ?? null,
          path: (folder?.get('path') as string) ?? '',
        },
        from,
        fromAddress: from[0]?.address ?? '',
        to: jsonColumn<MailAddress[]>(row.get('to'), []),
        cc: jsonColumn<MailAddress[]>(row.get('cc'), []),
        subject: (row.get('subject') as string | null) ?? '',
        date: iso(row.get('date')),
        snippet: (row.get('snippet') as string | null) ?? '',
        text,
        html,
        bodyError,
        hasAttachments: !!row.get('hasAttachments'),
        attachments: attachments
          .filter((a) => !a.inline)
          .map((a) => ({ part: a.part, filename: a.filename, contentType: a.contentType, size: a.size })),
      },
      mailbox,
    };
  }

  sent(outbox: Row, mailbox: MailboxContext): MailSentContext {
    return {
      message: {
        outboxId: Number(outbox.get('id')),
        messageId: outbox.get('messageId') as string,
        mode: outbox.get('mode') as string,
        from: jsonColumn<MailAddress>(outbox.get('from'), { name: '', address: '' }),
        to: jsonColumn<MailAddress[]>(outbox.get('to'), []),
        cc: jsonColumn<MailAddress[]>(outbox.get('cc'), []),
        bcc: jsonColumn<MailAddress[]>(outbox.get('bcc'), []),
        subject: (outbox.get('subject') as string | null) ?? '',
        html: (outbox.get('html') as string | null) ?? '',
        sentAt: iso(outbox.get('sentAt')),
        inReplyTo: (outbox.get('inReplyTo') as string | null) ?? null,
      },
      mailbox,
    };
  }
}
