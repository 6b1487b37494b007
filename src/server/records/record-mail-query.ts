import { Database, fn, literal, Model, Op } from '@nocobase/database';
import type { WhereOptions } from 'sequelize';
import type { RecordMessageLocation, RecordMessagePage } from '../../shared/mail-records';
import { LIST_ATTRIBUTES, toListItem } from '../messages/message-view';
import { ParticipantSql } from '../messages/participant-sql';
import type { MailboxScope } from '../sharing/mailbox-scope';
import { toMailboxInfo } from '../sharing/mailbox-info';
import {
  ACCOUNTS_COLLECTION,
  FOLDERS_COLLECTION,
  MESSAGES_COLLECTION,
  PARTICIPANTS_COLLECTION,
} from '../store/collection-names';
import type { LinkedKeys } from './linked-keys';
import { recordMessageView } from './record-message-view';

export type Direction = 'received' | 'sent';
/** One way a message is on a record: found by the record's addresses/domains, or linked to it by hand. */
export type RecordMailWay = 'matched' | 'linked';

/** What to list: a record's addresses and domains (already read with the caller's permissions) and its links. */
export interface RecordMailRequest {
  scope: MailboxScope[];
  addresses: string[];
  domains: string[];
  linked: LinkedKeys;
  direction?: Direction;
  /** Only the mail found this way; both ways when absent. */
  only?: RecordMailWay;
  hasAttachments?: boolean;
  dateFrom?: Date;
  dateTo?: Date;
  search?: string;
  page: number;
  pageSize: number;
  /** The rows the scope may show (sharing/: colleagues' private folders and private messages left out). */
  visible?: object;
  /** Only this message row (the reader of one message on the record). */
  onlyRowId?: number;
}

export interface RecordMailQueryDeps {
  db: Database;
  /** What a person typed as one condition on `mailMessages` (search/message-search.ts): one search for every list. */
  textSearch(q: string): Promise<WhereOptions | undefined>;
}

type Row = Record<string, unknown>;

/** Own mailbox first, then the most a shared one shows. */
const LEVEL_RANK = { full: 3, subject: 2, metadata: 1 } as const;
function rank(scope: MailboxScope): number {
  return (scope.own ? 10 : 0) + LEVEL_RANK[scope.level];
}

/**
 * A record's mail: the messages in the viewer's mailbox scope in which one of the record's addresses (or an address
 * at one of its domains) takes part, or that are linked to it, newest first. One message stored in several folders
 * or mailboxes (the same RFC Message-ID) is one row, with every place it lives.
 *
 * The plan: participants by address/domain (index lookup, restricted to the scope's accounts) give message row ids;
 * messages are grouped by Message-ID and ordered by their newest copy; one page of groups is read, then the rows of
 * just those groups. No total is counted (a busy domain can match most of a mailbox): `hasMore` says whether a
 * further page exists.
 */
export class RecordMailQuery {
  private readonly sql: ParticipantSql;

  constructor(private readonly deps: RecordMailQueryDeps) {
    this.sql = new ParticipantSql(deps.db);
  }

  private get db() {
    return this.deps.db;
  }

  private matchCondition(addresses: string[], domains: string[]): string | null {
    const p = (a: string) => this.sql.column(PARTICIPANTS_COLLECTION, a);
    const parts: string[] = [];
    if (addresses.length) parts.push(`${p('address')} IN (${this.sql.list(addresses)})`);
    if (domains.length) parts.push(`${p('domain')} IN (${this.sql.list(domains)})`);
    return parts.length ? parts.join(' OR ') : null;
  }

  /** The mailboxes' own addresses. */
  async ownAddresses(accountIds: number[]): Promise<string[]> {
    return [...(await this.sql.mailboxAddresses(accountIds)).values()];
  }

  async list(request: RecordMailRequest): Promise<RecordMessagePage> {
    const { page, pageSize } = request;
    const empty: RecordMessagePage = { rows: [], page, pageSize, hasMore: false };
    const scopeOf = new Map(request.scope.map((s) => [s.accountId, s]));
    const accountIds = [...scopeOf.keys()];
    const match = this.matchCondition(request.addresses, request.domains);
    const { messageIds, threadKeys } = request.linked;
    const source: object[] = [];
    if (match && request.only !== 'linked') source.push(this.sql.messageRows(accountIds, match));
    if (request.only !== 'matched') {
      if (messageIds.length) source.push({ messageId: { [Op.in]: messageIds } });
      if (threadKeys.length) source.push({ threadKey: { [Op.in]: threadKeys } });
    }
    if (!accountIds.length || !source.length) return empty;

    const mailboxes = await this.sql.mailboxAddresses(accountIds);
    const and: object[] = [{ accountId: { [Op.in]: accountIds } }, { [Op.or]: source }];
    if (request.visible) and.push(request.visible);
    if (request.onlyRowId !== undefined) and.push({ id: request.onlyRowId });
    if (request.direction) {
      const sent = await this.sql.sent(mailboxes);
      and.push(request.direction === 'sent' ? sent : { [Op.not]: sent });
    }
    if (request.search || request.hasAttachments !== undefined) {
      // Search and the attachments filter look only into mail the viewer may read in full: on a colleague's mail
      // shared at "subject" or "metadata", a match would tell what the level withholds (a word of the body or of a
      // hidden subject, whether files are attached).
      const readable = request.scope.filter((s) => s.own || s.level === 'full').map((s) => s.accountId);
      and.push({ accountId: { [Op.in]: readable } });
    }
    if (request.hasAttachments !== undefined) and.push({ hasAttachments: request.hasAttachments });
    if (request.dateFrom) and.push({ date: { [Op.gte]: request.dateFrom } });
    if (request.dateTo) and.push({ date: { [Op.lte]: request.dateTo } });
    const searched = request.search ? await this.deps.textSearch(request.search) : undefined;
    if (searched) and.push(searched);
    const where = { [Op.and]: and } as WhereOptions;

    const model = this.db.getModel(MESSAGES_COLLECTION);
    const m = (a: string) => this.sql.column(MESSAGES_COLLECTION, a);
    // One group per message: its Message-ID, or the row itself when it has none.
    const groupKey = `COALESCE(${m('messageId')}, 'row:' || ${m('id')})`;
    const groups = (await model.findAll({
      where,
      attributes: [
        [literal(groupKey), 'groupKey'],
        [fn('MAX', literal(m('date'))), 'lastDate'],
      ],
      group: [literal(groupKey) as never],
      order: [
        [fn('MAX', literal(m('date'))), 'DESC'],
        [fn('MAX', literal(m('id'))), 'DESC'],
      ],
      offset: (page - 1) * pageSize,
      limit: pageSize + 1,
      raw: true,
    })) as unknown as { groupKey: string }[];
    const hasMore = groups.length > pageSize;
    const keys = groups.slice(0, pageSize).map((g) => String(g.groupKey));
    if (!keys.length) return { ...empty, hasMore };

    const rowIds = keys.filter((k) => k.startsWith('row:')).map((k) => Number(k.slice(4)));
    const ids = keys.filter((k) => !k.startsWith('row:'));
    const copies: object[] = [];
    if (ids.length) copies.push({ messageId: { [Op.in]: ids } });
    if (rowIds.length) copies.push({ id: { [Op.in]: rowIds } });
    const members = (await model.findAll({
      where: { [Op.and]: [where, { [Op.or]: copies }] },
      attributes: LIST_ATTRIBUTES,
      order: [
        ['date', 'DESC'],
        ['id', 'DESC'],
      ],
      raw: true,
    })) as unknown as Row[];

    const matchedIds = match ? await this.matchedAmong(members, accountIds, match) : new Set<number>();
    const folders = await this.folderNames(members);
    const byKey = new Map<string, Row[]>();
    for (const row of members) {
      const key = (row.messageId as string | null) ?? `row:${row.id}`;
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const ownerNames = await this.ownerNames(keys.flatMap((key) => byKey.get(key) ?? []));
    const linkedIds = new Set(messageIds);
    const linkedThreads = new Set(threadKeys);
    const rows = keys
      .filter((key) => byKey.has(key))
      .map((key) => {
        const copiesOf = byKey.get(key)!;
        const shown = copiesOf.reduce((best, row) =>
          rank(scopeOf.get(Number(row.accountId))!) > rank(scopeOf.get(Number(best.accountId))!) ? row : best,
        );
        const mailbox = scopeOf.get(Number(shown.accountId))!;
        const locations: RecordMessageLocation[] = copiesOf.map((row) => {
          const folder = folders.get(Number(row.folderId));
          return {
            messageRowId: Number(row.id),
            accountId: Number(row.accountId),
            mailbox: mailboxes.get(Number(row.accountId)) ?? '',
            folderId: Number(row.folderId),
            folderName: folder?.name ?? '',
            folderRole: folder?.role ?? null,
          };
        });
        return recordMessageView({
          message: toListItem(shown),
          mailbox: {
            ...mailbox,
            address: mailboxes.get(mailbox.accountId) ?? '',
            ownerName: ownerNames.get(mailbox.accountId) ?? '',
          },
          matched: copiesOf.some((row) => matchedIds.has(Number(row.id))),
          linked: copiesOf.some(
            (row) => linkedIds.has(row.messageId as string) || linkedThreads.has(row.threadKey as string),
          ),
          locations,
        });
      });
    return { rows, page, pageSize, hasMore };
  }

  /** The names of the mailboxes' owners, as a shared row names them ("Shared by …"). */
  private async ownerNames(rows: Row[]): Promise<Map<number, string>> {
    const ids = [...new Set(rows.map((r) => Number(r.accountId)))];
    if (!ids.length) return new Map();
    const accounts = await this.db
      .getRepository(ACCOUNTS_COLLECTION)
      .find({ filter: { id: { $in: ids } }, fields: ['id', 'address', 'userId'], appends: ['user'] });
    return new Map(accounts.map((row: Model) => [Number(row.get('id')), toMailboxInfo(row).ownerName]));
  }

  /** Which of the page's rows a participant matched (the others are there by a link). */
  private async matchedAmong(rows: Row[], accountIds: number[], match: string): Promise<Set<number>> {
    if (!rows.length) return new Set();
    const ids = rows.map((r) => Number(r.id));
    const found = (await this.db.getModel(MESSAGES_COLLECTION).findAll({
      attributes: ['id'],
      where: { [Op.and]: [{ id: { [Op.in]: ids } }, this.sql.messageRows(accountIds, match)] } as WhereOptions,
      raw: true,
    })) as unknown as { id: number }[];
    return new Set(found.map((r) => Number(r.id)));
  }

  private async folderNames(rows: Row[]): Promise<Map<number, { name: string; role: string | null }>> {
    const ids = [...new Set(rows.map((r) => Number(r.folderId)))];
    if (!ids.length) return new Map();
    const folders = (await this.db.getModel(FOLDERS_COLLECTION).findAll({
      attributes: ['id', 'name', 'role'],
      where: { id: { [Op.in]: ids } },
      raw: true,
    })) as unknown as { id: number; name: string; role: string | null }[];
    return new Map(folders.map((f) => [Number(f.id), { name: f.name, role: f.role ?? null }]));
  }
}
