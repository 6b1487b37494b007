import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Database } from '@nocobase/database';
import type { FlowNodeModel, Processor } from '@nocobase/plugin-workflow';
import { MailError } from '../errors/mail-error';
import type { MessageBodies } from '../messages/message-body';
import { parseImapError } from '../transport/imap/parse-imap-error';
import { mailboxForWorkflow, refused } from './author-rule';
import { ListedAttachment, pickAttachments } from './attachment-patterns';
import { FileManager, FILES_COLLECTION } from './file-manager';
import type { Log, WorkflowPlugin } from './mail-trigger';

const JOB_STATUS = { RESOLVED: 1, FAILED: -1 } as const;

/** The "Save email attachments" node's options after the workflow engine replaced its variables. */
export interface SaveAttachmentsConfig {
  /** File-name patterns, comma-separated (`*.pdf, invoice-*`); blank: every attachment. */
  filename?: string;
  /** Content-type patterns, comma-separated (`application/pdf, image/*`); blank: every attachment. */
  contentType?: string;
  /** A failure resolves the node instead of failing it (its result still says why). */
  ignoreFail?: boolean;
}

export interface SaveAttachmentsDeps {
  db: Database;
  bodies: MessageBodies;
  /** Resolved when the node runs: the file manager may be enabled or disabled while the app runs. */
  fileManager(): FileManager;
  log: Log;
}

type FileRow = { get(key: string): unknown; toJSON(): object; destroy(): Promise<void> };

/** A name any file system takes: no separators or control characters, at most 200 bytes, the extension kept. */
function diskName(filename: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const clean = filename.replace(/[\u0000-\u001f\u007f/\\]/g, '-').replace(/^\.+/, '') || 'attachment';
  const ext = path.extname(clean).slice(0, 20);
  let base = clean.slice(0, clean.length - ext.length);
  while (Buffer.byteLength(base + ext) > 200) base = base.slice(0, -1);
  return base + ext;
}

/**
 * "Save email attachments": the attachments of the message that started the workflow (all, or those matching
 * name and type patterns) become rows of the file manager's `attachments` collection, stored in its default
 * storage through its own `createFileRecord`, so a later node can put them in a record's attachment field. Each is
 * streamed from IMAP to a private temp file (the file manager stores from a path) and never held whole in memory.
 * Same author rule as "Send email": the workflow's author owns the mailbox. All or nothing: a failure removes the
 * files this run already stored.
 */
export class SaveAttachmentsInstruction {
  constructor(
    readonly workflow: WorkflowPlugin,
    private readonly deps: SaveAttachmentsDeps,
  ) {}

  validateConfig(): null {
    return null;
  }

  async run(node: FlowNodeModel, _prevJob: unknown, processor: Processor) {
    const config = processor.getParsedValue(node.config, node.id) as SaveAttachmentsConfig;
    try {
      const context = (processor.execution.context ?? {}) as {
        message?: { id?: number; attachments?: ListedAttachment[] };
        mailbox?: { accountId?: number };
      };
      if (!context.message?.id || !context.mailbox?.accountId)
        throw refused('This workflow was not started by a received message: there are no attachments to save.');
      const files = this.deps.fileManager();
      const { ownerId } = await mailboxForWorkflow(
        this.deps.db,
        processor.execution.workflowId,
        context.mailbox.accountId,
      );
      const wanted = pickAttachments(context.message.attachments ?? [], config);
      const saved = await this.save(files, ownerId, context.message.id, wanted);
      return { status: JOB_STATUS.RESOLVED, result: { files: saved, reason: null } };
    } catch (err) {
      if (!MailError.is(err)) this.deps.log.warn('mail workflows: "Save email attachments" failed', { err });
      const reason = MailError.is(err) ? err.userMessage : 'Saving the attachments failed unexpectedly.';
      return { status: config.ignoreFail ? JOB_STATUS.RESOLVED : JOB_STATUS.FAILED, result: { files: [], reason } };
    }
  }

  /**
   * The files become the mailbox owner's, as if they had uploaded them (their own files are the ones a member may
   * edit or delete): the creator columns are filled from the request's user on create, and a workflow has none.
   * Read back as the file manager lists them (with their URLs).
   */
  private async ownedBy(ownerId: number, ids: unknown[]): Promise<object[]> {
    await this.deps.db
      .getModel(FILES_COLLECTION)
      .update({ createdById: ownerId, updatedById: ownerId }, { where: { id: ids }, hooks: false });
    const rows = await this.deps.db.getRepository(FILES_COLLECTION).find({ filter: { id: ids }, sort: ['id'] });
    return rows.map((r: { toJSON(): object }) => r.toJSON());
  }

  private async save(files: FileManager, ownerId: number, messageRowId: number, wanted: ListedAttachment[]) {
    if (!wanted.length) return [];
    const dir = await mkdtemp(path.join(tmpdir(), 'mailbridge-attachments-'));
    const rows: FileRow[] = [];
    try {
      for (const [i, meta] of wanted.entries()) {
        const download = await this.deps.bodies
          .attachment(ownerId, messageRowId, meta.part, false)
          .catch((err: unknown) => {
            throw MailError.is(err) ? err : parseImapError(err).error;
          });
        // One folder per file: two attachments may share a name, and the file manager names the file after it.
        const filePath = path.join(dir, String(i), diskName(download.filename));
        try {
          await mkdir(path.dirname(filePath));
          await pipeline(download.content, createWriteStream(filePath));
        } catch (err) {
          download.content.destroy();
          throw MailError.is(err) ? err : parseImapError(err).error;
        }
        const ext = path.extname(download.filename);
        const row = (await files.createFileRecord({
          collectionName: FILES_COLLECTION,
          filePath,
          // The file manager reads the title from the path as Latin-1 and the type from an upload's headers: both
          // are given as the message has them.
          values: {
            title: ext ? download.filename.slice(0, -ext.length) : download.filename,
            mimetype: download.contentType,
          },
        })) as unknown as FileRow;
        rows.push(row);
      }
      return await this.ownedBy(
        ownerId,
        rows.map((r) => r.get('id')),
      );
    } catch (err) {
      // Destroying the rows also removes their stored files (the file manager's afterDestroy).
      for (const row of rows) await row.destroy().catch(() => undefined);
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
