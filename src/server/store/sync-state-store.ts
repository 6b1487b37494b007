import type { Database } from '@nocobase/database';
import { MailSyncStage } from '../../shared/mail-reading';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import { BatchedCalls } from '../db/batched-calls';
import { columnPlus } from '../db/column-plus';
import { accountExists } from './account-exists';
import { ACCOUNTS_COLLECTION, SYNC_STATES_COLLECTION } from './collection-names';

export interface SyncStateValues {
  stage?: MailSyncStage;
  done?: number;
  total?: number;
  windowStart?: Date | null;
  lastSyncAt?: Date | null;
  lastError?: string | null;
  lastErrorCode?: string | null;
  nextRetryAt?: Date | null;
  failures?: number;
  pushConnected?: boolean;
  ownerInstance?: string | null;
  textIndexDone?: number;
  textIndexTotal?: number;
}

type Row = { get(key: string): unknown };

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(v as string);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function toSyncStatusView(accountId: number | string, row: Row | null): MailSyncStatusView {
  return {
    accountId,
    stage: (row?.get('stage') as MailSyncStage) ?? MailSyncStage.pending,
    done: Number(row?.get('done') ?? 0),
    total: Number(row?.get('total') ?? 0),
    windowStart: iso(row?.get('windowStart')),
    lastSyncAt: iso(row?.get('lastSyncAt')),
    lastError: (row?.get('lastError') as string | null) ?? null,
    lastErrorCode: (row?.get('lastErrorCode') as MailSyncStatusView['lastErrorCode']) ?? null,
    nextRetryAt: iso(row?.get('nextRetryAt')),
    pushConnected: !!row?.get('pushConnected'),
    changeSeq: Number(row?.get('changeSeq') ?? 0),
    lastChangeAt: iso(row?.get('lastChangeAt')),
    textIndex: { done: Number(row?.get('textIndexDone') ?? 0), total: Number(row?.get('textIndexTotal') ?? 0) },
  };
}

/** The `mailSyncStates` row of each account: progress, errors and the change counter. */
export class SyncStateStore {
  /** Change counters moved by new mail on many mailboxes at once share one UPDATE. */
  private readonly bumps = new BatchedCalls<number, void>(async (accountIds) => {
    await this.bumpChanges([...new Set(accountIds)]);
    return accountIds.map(() => undefined);
  });

  constructor(private readonly db: Database) {}

  private get repo() {
    return this.db.getRepository(SYNC_STATES_COLLECTION);
  }

  async get(accountId: number): Promise<Row | null> {
    return this.repo.findOne({ filter: { accountId } });
  }

  /**
   * The account's state row, created when missing, or null when the account is gone: a sync or a write still
   * finishing after a disconnect must not bring the row back (the existence check comes after the lookup, so a
   * row removed by a committed disconnect is never re-created, and a row created while a disconnect runs is taken
   * back: see account-exists.ts).
   */
  async ensure(accountId: number): Promise<Row | null> {
    const existing = await this.get(accountId);
    if (existing) return existing;
    if (!(await this.db.getModel(ACCOUNTS_COLLECTION).count({ where: { id: accountId } }))) return null;
    try {
      await this.db.getModel(SYNC_STATES_COLLECTION).create({ accountId }, { hooks: false });
    } catch (err) {
      // Two nodes or requests created it at once; the unique index kept the first.
      if ((err as Error)?.name !== 'SequelizeUniqueConstraintError') throw err;
    }
    if (!(await accountExists(this.db, accountId))) {
      await this.db.getModel(SYNC_STATES_COLLECTION).destroy({ where: { accountId }, hooks: false });
      return null;
    }
    return this.get(accountId);
  }

  async update(accountId: number, values: SyncStateValues): Promise<void> {
    if (!(await this.ensure(accountId))) return;
    await this.db.getModel(SYNC_STATES_COLLECTION).update(values, { where: { accountId }, hooks: false });
  }

  /** Records that stored mail of the account changed: clients polling `changeSeq` reload. */
  bumpChange(accountId: number): Promise<void> {
    return this.bumps.call(accountId);
  }

  private async bumpChanges(accountIds: number[]): Promise<void> {
    // One statement: whoever sees the sequence move (clients poll it) finds the time of that change with it.
    const bump = (ids: number[]) => {
      const model = this.db.getModel(SYNC_STATES_COLLECTION);
      return model.update(
        { lastChangeAt: new Date(), changeSeq: columnPlus(model, 'changeSeq', 1) },
        { where: { accountId: ids }, hooks: false },
      );
    };
    const [updated] = await bump(accountIds);
    if (updated === accountIds.length) return;
    // An account without its state row yet (or one removed meanwhile): each on its own, as ensure() decides.
    const rows = (await this.db.getModel(SYNC_STATES_COLLECTION).findAll({
      attributes: ['accountId'],
      where: { accountId: accountIds },
      raw: true,
    })) as unknown as Array<{ accountId: number | string }>;
    const present = new Set(rows.map((r) => Number(r.accountId)));
    for (const id of accountIds) if (!present.has(id) && (await this.ensure(id))) await bump([id]);
  }

  /** Counts messages whose body text the indexer just stored. */
  async addTextIndexed(accountId: number, count: number): Promise<void> {
    if (!count || !(await this.ensure(accountId))) return;
    await this.db
      .getModel(SYNC_STATES_COLLECTION)
      .increment('textIndexDone', { by: count, where: { accountId }, hooks: false } as never);
  }

  async views(accountIds: Array<number | string>): Promise<MailSyncStatusView[]> {
    if (!accountIds.length) return [];
    const rows = (await this.repo.find({ filter: { accountId: { $in: accountIds } } })) as Row[];
    const byAccount = new Map(rows.map((r) => [String(r.get('accountId')), r]));
    return accountIds.map((id) => toSyncStatusView(id, byAccount.get(String(id)) ?? null));
  }
}
