import type { Readable } from 'node:stream';
import type { Application } from '@nocobase/server';
import { MailError, MailErrorCode } from '../errors/mail-error';

/** The file manager's collection of files, which attachment fields of records point at. */
export const FILES_COLLECTION = 'attachments';

type Row = { get(key: string): unknown; toJSON(): object };

/**
 * What this plugin uses of the file manager's server plugin (`@nocobase/plugin-file-manager`, an optional peer):
 * looked up by name, never imported, so the plugin loads where the file manager is absent.
 */
export interface FileManager {
  /** Stores the file at `filePath` in the collection's (else the default) storage and creates its row. */
  createFileRecord(options: { collectionName: string; filePath: string; values?: object }): Promise<Row>;
  /** The stored bytes of a file row, from whatever storage holds them. */
  getFileStream(file: unknown): Promise<{ stream: Readable; contentType?: string }>;
}

/** The file manager when it is installed and enabled, else a refusal that says it is needed. */
export function requireFileManager(app: Application): FileManager {
  const plugin = app.pm.get('file-manager') as unknown as (FileManager & { enabled?: boolean }) | undefined;
  if (!plugin || plugin.enabled === false || typeof plugin.createFileRecord !== 'function')
    throw new MailError(
      MailErrorCode.NOT_CONFIGURED,
      'This node needs the file manager plugin: an administrator enables "File manager" in the plugin manager.',
      // The fix is in the plugin manager, not the email settings the admin-owned wording points to.
      { owner: 'none' },
    );
  return plugin;
}
