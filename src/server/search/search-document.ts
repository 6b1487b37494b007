import type { MailAddress, MailAttachmentMeta } from '../../shared/mail-reading-types';
import { jsonColumn } from '../db/json-column';
import { indexText } from './fold';

/** Longest body text indexed, in folded characters: PostgreSQL caps a tsvector at 1 MB, and search needs no more. */
export const MAX_INDEXED_BODY = 200_000;

/** One message as the index stores it: folded words per field. `body` is the snippet, file names and body text. */
export interface SearchDocument {
  id: number;
  subject: string;
  sender: string;
  recipientsTo: string;
  recipientsCc: string;
  body: string;
}

/** The message columns a document is built from. */
export const DOCUMENT_ATTRIBUTES = ['id', 'subject', 'from', 'to', 'cc', 'snippet', 'attachments', 'indexedText'];

function people(value: unknown): string {
  return indexText(
    jsonColumn<MailAddress[]>(value, [])
      .map((a) => `${a.name ?? ''} ${a.address ?? ''}`)
      .join(' '),
  );
}

export function toSearchDocument(row: Record<string, unknown>): SearchDocument {
  const files = jsonColumn<MailAttachmentMeta[]>(row.attachments, [])
    .map((a) => a.filename ?? '')
    .join(' ');
  const body = [row.snippet, files, row.indexedText]
    .map((t) => indexText(t as string | null))
    .join(' ')
    .slice(0, MAX_INDEXED_BODY);
  return {
    id: Number(row.id),
    subject: indexText(row.subject as string | null),
    sender: people(row.from),
    recipientsTo: people(row.to),
    recipientsCc: people(row.cc),
    body,
  };
}
