import { MailError, MailErrorCode } from '../errors/mail-error';
import type { SearchDocument } from './search-document';
import type { SearchTerm } from './parse-query';

/**
 * The full-text index of one dialect, beside `mailMessages` and keyed by its ids. It holds only folded text:
 * whose message it is, where it is and its flags stay in `mailMessages`, which every search joins, so a row the
 * index still holds for a removed message can never be listed.
 */
export interface SearchIndex {
  /** Creates the index if it is missing (safe to repeat). */
  ensure(): Promise<void>;
  /** Adds or replaces these messages' documents. */
  write(docs: SearchDocument[]): Promise<void>;
  remove(ids: number[]): Promise<void>;
  /** Drops documents whose message is gone (an account removed in bulk, or a crash between a delete and this). */
  removeOrphans(): Promise<void>;
  /** Which of these message ids have a document. */
  indexed(ids: number[]): Promise<Set<number>>;
  /** `SELECT <message id> FROM … WHERE` every term holds (terms are not negated here). */
  matching(terms: SearchTerm[]): string;
}

/** Columns of a document, by the field an operator names. */
export const FIELD_COLUMNS = {
  subject: 'subject',
  from: 'sender',
  to: 'recipients_to',
  cc: 'recipients_cc',
} as const;

export const DOCUMENT_COLUMNS = ['subject', 'sender', 'recipients_to', 'recipients_cc', 'body'] as const;

export function documentValues(d: SearchDocument): string[] {
  return [d.subject, d.sender, d.recipientsTo, d.recipientsCc, d.body];
}

/**
 * Dialects without an index here (MySQL, MariaDB): nothing is written, and a text search says it is not available
 * rather than failing; the operators on columns (is:, has:, before:, after:) still work.
 */
export class NoSearchIndex implements SearchIndex {
  constructor(private readonly dialect: string) {}

  async ensure(): Promise<void> {}
  async write(): Promise<void> {}
  async remove(): Promise<void> {}
  async removeOrphans(): Promise<void> {}
  async indexed(): Promise<Set<number>> {
    return new Set();
  }
  matching(): string {
    throw new MailError(
      MailErrorCode.INVALID_STATE,
      `Searching the text of messages is not available on ${this.dialect}: use SQLite or PostgreSQL.`,
    );
  }
}
