import { Database, literal, Op } from '@nocobase/database';
import type { WhereOptions } from 'sequelize';
import type { MailMessageListItem } from '../../shared/mail-reading-types';
import type { MailEventStream } from '../events';
import { MESSAGES_COLLECTION } from '../store/collection-names';
import { highlight } from './highlight';
import { parseQuery, SearchQuery } from './parse-query';
import { PostgresSearchIndex } from './postgres-index';
import { DOCUMENT_ATTRIBUTES, toSearchDocument } from './search-document';
import { NoSearchIndex, SearchIndex } from './search-index';
import { SqliteSearchIndex } from './sqlite-index';

/** Messages read and written per statement while indexing. */
const BATCH = 500;

/**
 * Matches from which a scoped search on SQLite walks the list's own order (see `lead`). Walking finds a page of 50
 * within about 50 × folder size / matches rows of the (account, folder, date) index, each a probe of the matches
 * materialised once; led by the matches, every match is a rowid lookup, then all are sorted by date. At 1,000 matches
 * in a folder of 100,000 that is some 5,000 index entries against 1,000 lookups and a sort: about even.
 */
export const COMMON_MATCHES = 1000;

/**
 * How SQLite reads a scoped list that searches text: led by the index's matches (a rare word: a few rowid lookups)
 * or in the list's own order (a common word: the folder's newest rows, each tested against the matches, stopping
 * at the page).
 */
export type SearchLead = 'matches' | 'list';

function indexFor(db: Database): SearchIndex {
  const dialect = db.sequelize.getDialect();
  if (dialect === 'postgres') return new PostgresSearchIndex(db);
  if (dialect === 'sqlite') return new SqliteSearchIndex(db);
  return new NoSearchIndex(dialect);
}

/** A batch of at most this many, with nothing pending, is indexed at once. */
const INDEX_AT_ONCE_MAX = 100;
/** Larger ones are indexed this long after the last stored batch… */
const INDEX_QUIET_MS = 1_000;
/** …and never later than this after the first one waiting. */
const INDEX_DELAY_MAX_MS = 10_000;

/**
 * Full-text search over the local copy: parses what a person typed (parse-query.ts), turns it into conditions on
 * `mailMessages` backed by the dialect's index, and keeps that index in step with the domain events.
 */
export class MessageSearch {
  readonly index: SearchIndex;
  private ready: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private readonly pending = new Set<number>();
  private pendingSince: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: Database,
    private readonly log?: { warn(message: string, meta?: object): void },
  ) {
    this.index = indexFor(db);
  }

  /** Creates the index once per process before its first use (the migration and install create it too). */
  private async ensure(): Promise<void> {
    this.ready ??= this.index.ensure().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    await this.ready;
  }

  /**
   * Follows every write to messages. Index writes run in order on a queue of their own, so the sync never waits
   * for them. A stream of stored batches is indexed once the sync pauses (INDEX_QUIET_MS after the last stored batch,
   * at most INDEX_DELAY_MAX_MS behind), not between its batches: on SQLite the index and the sync share one writer, and
   * indexing while a first sync stores 10,000 messages slowed it by a third. A search on this node first writes what
   * is pending and waits for the queue (`settled`), so it sees every write made here before it. Flags and moves
   * change no text.
   */
  subscribe(events: MailEventStream): void {
    events.on('messagesStored', ({ ids }) => this.indexSoon(ids));
    events.on('messagesChanged', ({ ids, change }) => {
      if (change.kind === 'indexedText') this.indexSoon(ids);
    });
    events.on('messagesRemoved', ({ ids }) => {
      for (const id of ids) this.pending.delete(id);
      this.enqueue(async () => {
        await this.ensure();
        for (let i = 0; i < ids.length; i += BATCH) await this.index.remove(ids.slice(i, i + BATCH));
      });
    });
    // A removed account's messages went in bulk, without messagesRemoved.
    events.on('accountStatusChanged', ({ status }) => {
      if (status === 'removed')
        this.enqueue(async () => {
          await this.ensure();
          await this.index.removeOrphans();
        });
    });
  }

  private indexSoon(ids: number[]): void {
    // A few messages (push, an incremental sync) are indexed at once, so a search on another node finds them as
    // soon as they are listed there; a stream of batches (a first sync) is coalesced.
    if (!this.pending.size && ids.length <= INDEX_AT_ONCE_MAX) return this.enqueue(() => this.indexMessages(ids));
    for (const id of ids) this.pending.add(id);
    this.pendingSince ??= Date.now();
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(INDEX_QUIET_MS, this.pendingSince + INDEX_DELAY_MAX_MS - Date.now()));
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref?.();
  }

  /** Puts the pending messages on the queue now. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingSince = null;
    if (!this.pending.size) return;
    const ids = [...this.pending];
    this.pending.clear();
    this.enqueue(() => this.indexMessages(ids));
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => {
      // What failed here is caught up by the next start's reconcile().
      this.log?.warn('writing to the mail search index failed', { err });
    });
  }

  /** Resolves once every index write asked for on this node so far is done, pending ones included. */
  settled(): Promise<void> {
    this.flush();
    return this.queue;
  }

  /** (Re)writes the documents of these messages from their current rows. */
  async indexMessages(ids: number[]): Promise<void> {
    await this.ensure();
    const model = this.db.getModel(MESSAGES_COLLECTION);
    for (let i = 0; i < ids.length; i += BATCH) {
      const rows = (await model.findAll({
        attributes: DOCUMENT_ATTRIBUTES,
        where: { id: { [Op.in]: ids.slice(i, i + BATCH) } },
        raw: true,
      })) as unknown as Record<string, unknown>[];
      await this.index.write(rows.map(toSearchDocument));
    }
  }

  /**
   * Brings the index level with the messages: creates it, drops documents of messages that are gone and indexes
   * messages that have none. Run by the migration, on install and at each start (a process that stopped between
   * a write and its event leaves the index behind).
   */
  async reconcile(): Promise<void> {
    await this.ensure();
    await this.index.removeOrphans();
    // One pass over the messages by id, each page checked against the index by key: linear in the table's size.
    const model = this.db.getModel(MESSAGES_COLLECTION);
    for (let after = 0; ;) {
      const rows = (await model.findAll({
        attributes: ['id'],
        where: { id: { [Op.gt]: after } },
        order: [['id', 'ASC']],
        limit: BATCH,
        raw: true,
      })) as unknown as { id: number | string }[];
      if (!rows.length) return;
      const ids = rows.map((r) => Number(r.id));
      const indexed = await this.index.indexed(ids);
      await this.indexMessages(ids.filter((id) => !indexed.has(id)));
      after = ids[ids.length - 1];
    }
  }

  /** Parses a search box query; bad syntax is a MailError INVALID_INPUT saying what to fix. */
  parse(query: string): SearchQuery {
    return parseQuery(query);
  }

  /**
   * The conditions on `mailMessages` (its model's attributes) that a parsed query puts: text terms through the
   * index, operators on the message's own columns. They say nothing of whose mail it is: AND them with the
   * caller's own account scope.
   */
  async where(query: SearchQuery, lead?: SearchLead): Promise<WhereOptions[]> {
    const and: WhereOptions[] = [];
    const positive = query.terms.filter((t) => !t.negated);
    if (query.terms.length) {
      await this.ensure();
      await this.settled();
    }
    if (positive.length) {
      const matches = `(${this.index.matching(positive)})`;
      // Walking the list's order, a unary + keeps SQLite from leading by the rowids anyway.
      if (lead === 'list') and.push(literal(`+${this.column('id')} IN ${matches}`) as unknown as WhereOptions);
      else and.push({ id: { [Op.in]: literal(matches) } });
    }
    for (const term of query.terms.filter((t) => t.negated))
      and.push({ id: { [Op.notIn]: literal(`(${this.index.matching([{ ...term, negated: false }])})`) } });
    if (query.unread !== undefined) and.push({ read: !query.unread });
    if (query.flagged !== undefined) and.push({ flagged: query.flagged });
    if (query.hasAttachment !== undefined) and.push({ hasAttachments: query.hasAttachment });
    if (query.before) and.push({ date: { [Op.lt]: query.before } });
    if (query.after) and.push({ date: { [Op.gte]: query.after } });
    return and;
  }

  /**
   * The one call for another list of messages (such as the record list's `search`): what a person typed, as one
   * condition on `mailMessages`' attributes, or undefined for an empty query. Bad syntax throws a MailError
   * INVALID_INPUT (a 400 with what to fix). AND it with the caller's own access scope; highlight rows with
   * `highlight(parse(q), row)`.
   */
  async conditions(q: string): Promise<WhereOptions | undefined> {
    if (!q.trim()) return undefined;
    const and = await this.where(this.parse(q));
    return and.length ? ({ [Op.and]: and } as WhereOptions) : undefined;
  }

  /**
   * How a scoped list that searches this query is best read on SQLite (undefined elsewhere, and without words to
   * find: the planner is left to choose). A common word (COMMON_MATCHES or more, counted with a LIMIT, a fraction
   * of a millisecond) walks the list's own order; a rare one is led by its matches. PostgreSQL's planner makes that
   * choice itself from its statistics.
   */
  async lead(query?: SearchQuery): Promise<SearchLead | undefined> {
    const positive = query?.terms.filter((t) => !t.negated) ?? [];
    if (!positive.length || this.db.sequelize.getDialect() !== 'sqlite') return undefined;
    await this.ensure();
    await this.settled();
    const [rows] = await this.db.sequelize.query(
      `SELECT count(*) AS n FROM (${this.index.matching(positive)} LIMIT ${COMMON_MATCHES}) AS found`,
    );
    return Number((rows as { n: number | string }[])[0]?.n ?? 0) >= COMMON_MATCHES ? 'list' : 'matches';
  }

  /**
   * A scope condition (`accountId`/`folderId` in these ids) for a list that searches. Led by the matches (see
   * `lead`), the scope's columns are written with a unary `+`, which keeps SQLite off their index for this
   * statement: it would rather walk the folder's (account, folder, date) index and probe every row.
   */
  scope(attribute: 'accountId' | 'folderId', ids: number[], lead?: SearchLead): WhereOptions {
    if (lead !== 'matches' || !ids.length) return { [attribute]: ids.length === 1 ? ids[0] : { [Op.in]: ids } };
    return literal(`+${this.column(attribute)} IN (${ids.map(Number).join(', ')})`) as unknown as WhereOptions;
  }

  /** An attribute of `mailMessages` as its quoted column. */
  private column(attribute: string): string {
    const field = this.db.getModel(MESSAGES_COLLECTION).rawAttributes[attribute]?.field ?? attribute;
    return this.db.sequelize.getQueryInterface().quoteIdentifier(field);
  }

  /** The list row with where the query's words are in its subject and snippet. */
  highlight<T extends MailMessageListItem>(query: SearchQuery, row: T): T {
    return { ...row, highlights: highlight(query, row) };
  }
}
