import { Database, fn, literal, Op, where as sqlWhere } from '@nocobase/database';
import type { FindOptions, WhereOptions } from 'sequelize';
import { MESSAGE_PAGE_SIZE_DEFAULT, MESSAGE_PAGE_SIZE_MAX, SEARCH_COUNT_CAP_DEFAULT } from '../../shared/mail-reading';
import type { MailFolderView, MailMessageListItem, MailMessageListMeta } from '../../shared/mail-reading-types';
import { invalidInput } from '../errors/mail-error';
import { bool, dateRange, direction as parseDirection, int, text } from '../input/parse-params';
import type { MessageSearch } from '../search/message-search';
import type { SearchQuery } from '../search/parse-query';
import { FOLDERS_COLLECTION, MESSAGES_COLLECTION, SYNC_STATES_COLLECTION } from '../store/collection-names';
import { syncOrder } from '../store/folder-store';
import { MailAccess, UserId } from './access';
import { CountCache } from './count-cache';
import { LIST_ATTRIBUTES, toFolderView, toListItem } from './message-view';
import { ParticipantSql } from './participant-sql';

export interface ListParams {
  accountId?: unknown;
  folderId?: unknown;
  unread?: unknown;
  flagged?: unknown;
  hasAttachments?: unknown;
  /** `received` or `sent` (in a Sent folder, or from the mailbox's own address). */
  direction?: unknown;
  from?: unknown;
  dateFrom?: unknown;
  dateTo?: unknown;
  q?: unknown;
  /** One conversation: the messages sharing this thread key, across the account's folders. */
  threadKey?: unknown;
  page?: unknown;
  pageSize?: unknown;
  threads?: unknown;
}

interface ListFilter {
  where: WhereOptions;
  accountIds: number[];
  key: string;
  /** The parsed `q`, to highlight its words in the rows. */
  search?: SearchQuery;
}

export interface ListPage extends MailMessageListMeta {
  rows: MailMessageListItem[];
}

export interface MessageQueryOptions {
  /** A search's total is counted up to this many matches (default SEARCH_COUNT_CAP_DEFAULT). */
  searchCountCap?: number;
}

/** A list's total: exact, or (a search's) counted up to the cap, with more matches beyond it. */
interface Total {
  count: number;
  capped: boolean;
}

/**
 * One page of rows read with one row more than the page when the total is capped: that row, not the total, says
 * whether another page follows.
 */
function pageOf<T>(rows: T[], total: Total, page: number, pageSize: number) {
  const hasMore = total.capped ? rows.length > pageSize : page * pageSize < total.count;
  return {
    rows: rows.slice(0, pageSize),
    meta: {
      count: total.count,
      ...(total.capped ? { countCapped: true as const } : {}),
      page,
      pageSize,
      totalPage: Math.ceil(total.count / pageSize),
      hasMore,
    },
  };
}

/** LIKE pattern for a literal substring; PostgreSQL and MySQL escape with a backslash by default. */
function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Reads of the local copy: message lists with filters, search and conversations; folder lists. */
export class MessageQuery {
  private readonly counts = new CountCache();
  private readonly searchCountCap: number;
  private readonly participants: ParticipantSql;

  constructor(
    private readonly db: Database,
    private readonly access: MailAccess,
    private readonly search: MessageSearch,
    options: MessageQueryOptions = {},
  ) {
    this.participants = new ParticipantSql(db);
    this.searchCountCap = options.searchCountCap ?? SEARCH_COUNT_CAP_DEFAULT;
    if (!Number.isInteger(this.searchCountCap) || this.searchCountCap < 1)
      throw new Error('reading.searchCountCap must be a whole number of at least 1.');
  }

  /** Rows as they leave the server: with a search, where its words are in subject and snippet. */
  private items(filter: ListFilter, rows: MailMessageListItem[]): MailMessageListItem[] {
    const { search } = filter;
    return search ? rows.map((row) => this.search.highlight(search, row)) : rows;
  }

  /** A column reference for an attribute (NocoBase may store camelCase attributes in snake_case columns). */
  private col(attribute: string) {
    const field = this.db.getModel(MESSAGES_COLLECTION).rawAttributes[attribute]?.field ?? attribute;
    return literal(this.db.sequelize.getQueryInterface().quoteIdentifier(field));
  }

  /**
   * The `from` filter: the sender's name or address (`fromText`) contains the text, case-insensitively. SQLite's
   * LIKE has no default escape character, so a literal `%` or `_` typed by the user would act as a wildcard there:
   * it uses instr() on the lower-cased column instead.
   */
  private fromContains(from: string): object {
    const needle = from.toLowerCase();
    const dialect = this.db.sequelize.getDialect();
    if (dialect === 'sqlite') return sqlWhere(fn('instr', fn('lower', this.col('fromText')), needle), Op.gt, 0);
    return { fromText: { [dialect === 'postgres' ? Op.iLike : Op.like]: likePattern(needle) } };
  }

  async list(userId: UserId, params: ListParams): Promise<ListPage> {
    const filter = await this.where(userId, params);
    const page = int(params.page, 'page', 1, 1_000_000, 1);
    const pageSize = int(params.pageSize, 'pageSize', 1, MESSAGE_PAGE_SIZE_MAX, MESSAGE_PAGE_SIZE_DEFAULT);
    if (bool(params.threads, 'threads')) return this.threads(filter, page, pageSize);
    const model = this.db.getModel(MESSAGES_COLLECTION);
    const { where } = filter;
    const total = await this.total(filter, 'messages', { where, attributes: ['id'] }, () => model.count({ where }));
    const found = await model.findAll({
      where,
      attributes: LIST_ATTRIBUTES,
      order: [
        ['date', 'DESC'],
        ['id', 'DESC'],
      ],
      offset: (page - 1) * pageSize,
      limit: pageSize + (total.capped ? 1 : 0),
      raw: true,
    });
    const { rows, meta } = pageOf(found as unknown as Record<string, unknown>[], total, page, pageSize);
    return { rows: this.items(filter, rows.map(toListItem)), ...meta };
  }

  /**
   * Conversations: one row per thread key (its newest message matching the filters), newest first, with the
   * thread's size and unread count among the matching messages.
   */
  private async threads(filter: ListFilter, page: number, pageSize: number): Promise<ListPage> {
    const model = this.db.getModel(MESSAGES_COLLECTION);
    const { where } = filter;
    const total = await this.total(
      filter,
      'threads',
      { where, attributes: ['threadKey'], group: ['threadKey'] },
      async () => (await model.count({ where, distinct: true, col: 'threadKey' } as never)) as unknown as number,
    );
    const found = (await model.findAll({
      where,
      attributes: ['threadKey', [fn('MAX', this.col('date')), 'lastDate'], [fn('COUNT', this.col('id')), 'total']],
      group: ['threadKey'],
      order: [
        [fn('MAX', this.col('date')), 'DESC'],
        ['threadKey', 'ASC'],
      ],
      offset: (page - 1) * pageSize,
      limit: pageSize + (total.capped ? 1 : 0),
      raw: true,
    })) as unknown as { threadKey: string; total: number | string }[];
    const { rows: groups, meta } = pageOf(found, total, page, pageSize);
    const keys = groups.map((g) => g.threadKey);
    const members = keys.length
      ? ((await model.findAll({
          where: { [Op.and]: [where, { threadKey: { [Op.in]: keys } }] },
          attributes: LIST_ATTRIBUTES,
          order: [
            ['date', 'DESC'],
            ['id', 'DESC'],
          ],
          raw: true,
        })) as unknown as Record<string, unknown>[])
      : [];
    const newest = new Map<string, MailMessageListItem>();
    const unread = new Map<string, number>();
    for (const m of members) {
      const item = toListItem(m);
      if (!newest.has(item.threadKey)) newest.set(item.threadKey, item);
      if (!item.read) unread.set(item.threadKey, (unread.get(item.threadKey) ?? 0) + 1);
    }
    const rows = this.items(
      filter,
      groups
        .filter((g) => newest.has(g.threadKey))
        .map((g) => ({
          ...(newest.get(g.threadKey) as MailMessageListItem),
          threadCount: Number(g.total),
          threadUnreadCount: unread.get(g.threadKey) ?? 0,
        })),
    );
    return { rows, ...meta };
  }

  /** The filter, the accounts it covers, and a key naming it (for the count cache). */
  private async where(userId: UserId, params: ListParams): Promise<ListFilter> {
    const and: object[] = [];
    let accountIds: number[];
    let folderId: number | null = null;
    if (params.folderId !== undefined && params.folderId !== '') {
      const folder = await this.access.folder(userId, params.folderId);
      if (
        params.accountId !== undefined &&
        params.accountId !== '' &&
        String(params.accountId) !== String(folder.accountId)
      ) {
        throw invalidInput('The folder does not belong to that account.');
      }
      // The folder is the user's, so its account is too.
      folderId = folder.id;
      accountIds = [folder.accountId];
    } else if (params.accountId !== undefined && params.accountId !== '') {
      accountIds = [await this.access.account(userId, params.accountId)];
    } else {
      accountIds = await this.access.accountIds(userId);
    }
    const q = text(params.q, 'q', 200);
    const search = q ? this.search.parse(q) : undefined;
    const lead = await this.search.lead(search);
    if (folderId !== null) and.push(this.search.scope('folderId', [folderId], lead));
    and.push(this.search.scope('accountId', accountIds, lead));

    const unread = bool(params.unread, 'unread');
    if (unread !== undefined) and.push({ read: !unread });
    const flagged = bool(params.flagged, 'flagged');
    if (flagged !== undefined) and.push({ flagged });
    const hasAttachments = bool(params.hasAttachments, 'hasAttachments');
    if (hasAttachments !== undefined) and.push({ hasAttachments });
    const direction = parseDirection(params.direction);
    if (direction) {
      const sent = await this.participants.sent(await this.participants.mailboxAddresses(accountIds));
      and.push(direction === 'sent' ? sent : { [Op.not]: sent });
    }
    const from = text(params.from, 'from', 320);
    if (from) and.push(this.fromContains(from));
    const { dateFrom, dateTo } = dateRange(params.dateFrom, params.dateTo);
    if (dateFrom) and.push({ date: { [Op.gte]: dateFrom } });
    if (dateTo) and.push({ date: { [Op.lte]: dateTo } });

    const threadKey = text(params.threadKey, 'threadKey', 255);
    if (threadKey) and.push({ threadKey });

    if (search) and.push(...(await this.search.where(search, lead)));
    const key = JSON.stringify([
      accountIds,
      folderId,
      unread,
      flagged,
      hasAttachments,
      direction,
      from,
      dateFrom,
      dateTo,
      threadKey,
      q,
    ]);
    return { where: { [Op.and]: and } as WhereOptions, accountIds, key, search };
  }

  /** The accounts' change sequence numbers, as one string: a total counted under it is current while it is. */
  private async changeSeq(accountIds: number[]): Promise<string> {
    if (!accountIds.length) return '';
    const rows = (await this.db.getModel(SYNC_STATES_COLLECTION).findAll({
      attributes: ['accountId', 'changeSeq'],
      where: { accountId: { [Op.in]: accountIds } },
      raw: true,
    })) as unknown as { accountId: number | string; changeSeq: number | string | null }[];
    const seq = new Map(rows.map((r) => [Number(r.accountId), Number(r.changeSeq ?? 0)]));
    return accountIds.map((id) => `${id}:${seq.get(id) ?? 0}`).join(',');
  }

  /**
   * The list's total, remembered while its mail is unchanged. A plain list's is exact (`count`). A search's is
   * counted up to the cap by reading at most cap + 1 rows of `rows` (one column each): a common word matches
   * thousands, and an exact total would read every match, while the page stops after its first few dozen.
   */
  private async total(
    filter: ListFilter,
    kind: 'messages' | 'threads',
    rows: FindOptions,
    count: () => Promise<number>,
  ): Promise<Total> {
    const seq = await this.changeSeq(filter.accountIds);
    if (!filter.search) return { count: await this.counts.get(`${kind}:${filter.key}`, seq, count), capped: false };
    const cap = this.searchCountCap;
    const model = this.db.getModel(MESSAGES_COLLECTION);
    const found = await this.counts.get(
      `${kind}:${cap}:${filter.key}`,
      seq,
      async () => (await model.findAll({ ...rows, limit: cap + 1, raw: true })).length,
    );
    return found > cap ? { count: cap, capped: true } : { count: found, capped: false };
  }

  async folders(userId: UserId, params: { accountId?: unknown }): Promise<MailFolderView[]> {
    const accountIds =
      params.accountId !== undefined && params.accountId !== ''
        ? [await this.access.account(userId, params.accountId)]
        : await this.access.accountIds(userId);
    if (!accountIds.length) return [];
    const rows = (await this.db
      .getRepository(FOLDERS_COLLECTION)
      .find({ filter: { accountId: { $in: accountIds } } })) as Array<{ get(k: string): unknown }>;
    const views = rows.map(toFolderView);
    const order = (v: MailFolderView) => ({ id: 0, accountId: 0, path: v.path, role: v.role, cursor: null as never });
    return views.sort((a, b) => Number(a.accountId) - Number(b.accountId) || syncOrder(order(a), order(b)));
  }
}
