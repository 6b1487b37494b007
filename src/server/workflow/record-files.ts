import type { Readable } from 'node:stream';
import type { Database } from '@nocobase/database';
import { checkAttachmentTotal } from '../compose/compose-input';
import type { NewFile } from '../store/outbox-store';
import { refused } from './author-rule';
import { FileManager, FILES_COLLECTION } from './file-manager';

type FileRow = { get(key: string): unknown };

/** A file the node was given: its id, and the name it was shown under when it came as a row. */
interface FileRef {
  id: number;
  filename: string | null;
}

/**
 * The "Send email" node's attachments as a variable gives them: a file row of an attachment field, a list of them
 * (nested lists flattened), or ids (numbers, or typed as "3, 4"). Anything else is refused, so a typo does not send a message without its file.
 */
export function parseFileRefs(raw: unknown): FileRef[] {
  const items = (Array.isArray(raw) ? raw : [raw])
    .flat(Infinity as 1)
    // Ids typed in the node's field: "3, 4".
    .flatMap((item: unknown) => (typeof item === 'string' ? item.split(/[\s,]+/) : [item]));
  const refs: FileRef[] = [];
  for (const item of items) {
    if (item === undefined || item === null || item === '') continue;
    const row = typeof item === 'object' ? (item as { id?: unknown; filename?: unknown }) : null;
    const rawId = row ? row.id : item;
    const id = typeof rawId === 'number' || (typeof rawId === 'string' && /^\d+$/.test(rawId)) ? Number(rawId) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0)
      throw refused('Attachments must be file records of the file manager (an attachment field), or their ids.');
    refs.push({ id, filename: typeof row?.filename === 'string' ? row.filename : null });
  }
  return refs;
}

/** Reads a stream whole, failing past `limit` bytes (a file may hold more than its row says). */
async function readUpTo(stream: Readable, limit: number, limitMb: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) {
      stream.destroy();
      throw refused(`The attachments are larger than the attachment limit of ${limitMb} MB.`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * The files of the file manager to attach: their rows are read first, and their sizes checked against the
 * attachment limit before a byte is read from storage; then each is read from the storage that holds it.
 */
export async function readRecordFiles(
  db: Database,
  files: () => FileManager,
  raw: unknown,
  limitMb: number,
): Promise<NewFile[]> {
  const refs = parseFileRefs(raw);
  if (!refs.length) return [];
  const manager = files();
  const ids = [...new Set(refs.map((r) => r.id))];
  const rows = (await db.getModel(FILES_COLLECTION).findAll({ where: { id: ids } })) as unknown as FileRow[];
  const byId = new Map(rows.map((r) => [Number(r.get('id')), r]));
  for (const ref of refs) {
    const row = byId.get(ref.id);
    // A row of another file collection has its own ids: its name tells it apart from the attachments row.
    if (!row || (ref.filename !== null && ref.filename !== row.get('filename')))
      throw refused(`The file manager has no file ${ref.id} in "${FILES_COLLECTION}".`);
  }
  const picked = refs.map((r) => byId.get(r.id) as FileRow);
  checkAttachmentTotal(
    picked.reduce((n, r) => n + (Number(r.get('size')) || 0), 0),
    limitMb,
  );
  let left = limitMb * 1024 * 1024;
  const out: NewFile[] = [];
  for (const row of picked) {
    let stream: Readable;
    try {
      ({ stream } = await manager.getFileStream(row));
    } catch {
      throw refused(`The file "${row.get('filename') as string}" could not be read from its storage.`);
    }
    const content = await readUpTo(stream, left, limitMb);
    left -= content.length;
    const title = (row.get('title') as string | null) || 'attachment';
    out.push({
      filename: `${title}${(row.get('extname') as string | null) ?? ''}`,
      contentType: (row.get('mimetype') as string | null) || 'application/octet-stream',
      content,
    });
  }
  return out;
}
