import type { Database, Model, Transactionable } from '@nocobase/database';
import type { Transaction } from 'sequelize';
import { MailAccountStatus } from '../../shared/constants';
import type { MailAccountView } from '../../shared/types';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { MailEventStream, MailEvents } from '../events';
import { toAccountView } from './account-view';
import { inTransaction } from '../db/transaction';
import { ACCOUNTS_COLLECTION } from '../store/collection-names';

export type AccountId = number | string;

/**
 * Runs inside the transaction that deletes an account, after the account row is deleted. Later features register
 * one to delete what they stored for the account in bulk (messages, folders, cursors). In this order a write racing
 * the deletion either happened before it (and is deleted here) or finds the account gone (store/account-exists.ts);
 * on PostgreSQL the deleted row stays locked until commit.
 */
export type AccountRemovalStep = (account: Model, options: { transaction?: Transaction }) => Promise<void>;

export interface ConnectedAccountInput {
  userId: AccountId;
  provider: string;
  address: string;
  displayName: string | null;
  homeAccountId: string;
  /** Already encrypted. */
  tokenCache: string;
  accessTokenExpiresAt: Date;
}

function notFound(): MailError {
  return new MailError(MailErrorCode.NOT_FOUND, 'No such mailbox among your connected accounts.');
}

/** Mailbox accounts, always looked up through their owner when a user asks. */
export class AccountService {
  private readonly removalSteps: AccountRemovalStep[] = [];

  constructor(
    private readonly db: Database,
    private readonly events: MailEventStream,
  ) {}

  private get repo() {
    return this.db.getRepository(ACCOUNTS_COLLECTION);
  }

  /**
   * Hooks removal steps to every account deletion, including the cascade when a user is deleted, and says every
   * change of an account's status (`accountStatusChanged`) once it is committed: every write of an account runs
   * its hooks, whichever service made it.
   */
  subscribe(): void {
    this.db.on(`${ACCOUNTS_COLLECTION}.afterDestroy`, async (model: Model, options: { transaction?: Transaction }) => {
      for (const step of this.removalSteps) await step(model, options);
      this.afterCommit(options, { accountId: Number(model.get('id')), status: 'removed', reason: null });
    });
    this.db.on(`${ACCOUNTS_COLLECTION}.afterSave`, (model: Model, options: { transaction?: Transaction }) => {
      const status = model.get('status') as MailAccountStatus;
      if (model.previous('status') === status) return;
      this.afterCommit(options, {
        accountId: Number(model.get('id')),
        status,
        reason: (model.get('statusReason') as string | null) ?? null,
      });
    });
  }

  private afterCommit(options: { transaction?: Transaction }, payload: MailEvents['accountStatusChanged']): void {
    const emit = () => this.events.emit('accountStatusChanged', payload);
    if (options.transaction) options.transaction.afterCommit(() => emit());
    else emit().catch(() => undefined);
  }

  /** Registers cleanup for data stored per account; returns an unregister function. */
  onRemove(step: AccountRemovalStep): () => void {
    this.removalSteps.push(step);
    return () => {
      const i = this.removalSteps.indexOf(step);
      if (i >= 0) this.removalSteps.splice(i, 1);
    };
  }

  async listForUser(userId: AccountId): Promise<MailAccountView[]> {
    const rows = await this.repo.find({ filter: { userId }, sort: ['address', 'id'] });
    return rows.map(toAccountView);
  }

  async findForUser(userId: AccountId, id: AccountId, options: Transactionable = {}): Promise<Model> {
    // Owner and id in one query: another user's account is indistinguishable from a missing one.
    const row = await this.repo.findOne({ filter: { id, userId }, transaction: options.transaction });
    if (!row) throw notFound();
    return row;
  }

  async getForUser(userId: AccountId, id: AccountId): Promise<MailAccountView> {
    return toAccountView(await this.findForUser(userId, id));
  }

  async findById(id: AccountId, options: Transactionable = {}): Promise<Model | null> {
    return this.repo.findOne({ filterByTk: id, transaction: options.transaction });
  }

  /** Creates the account, or refreshes it when the same user reconnects the same address (healing its status). */
  async upsertConnected(input: ConnectedAccountInput, options: Transactionable = {}): Promise<Model> {
    const address = input.address.toLowerCase();
    const now = new Date();
    const values = {
      displayName: input.displayName,
      homeAccountId: input.homeAccountId,
      tokenCache: input.tokenCache,
      accessTokenExpiresAt: input.accessTokenExpiresAt,
      status: MailAccountStatus.connected,
      statusReason: null,
      connectedAt: now,
      lastTokenRefreshAt: now,
    };
    const filter = { userId: input.userId, provider: input.provider, address };
    const update = async () => {
      const existing = await this.repo.findOne({ filter, transaction: options.transaction });
      if (existing) await existing.update(values, { transaction: options.transaction });
      return existing;
    };
    const updated = await update();
    if (updated) return updated;
    try {
      return await this.repo.create({ values: { ...filter, ...values }, transaction: options.transaction });
    } catch (err) {
      // Two sign-ins of the same mailbox finishing together: the unique index lets one create, the other updates.
      if ((err as Error).name !== 'SequelizeUniqueConstraintError') throw err;
      return (await update()) as Model;
    }
  }

  /** Sets the user-facing status; `reason` is shown to the owner, so it must be words, not a stack trace. */
  async markStatus(
    id: AccountId,
    status: MailAccountStatus,
    reason: string | null,
    options: Transactionable = {},
  ): Promise<void> {
    await this.repo.update({
      filterByTk: id,
      values: { status, statusReason: status === MailAccountStatus.connected ? null : reason },
      transaction: options.transaction,
    });
  }

  /**
   * Deletes the user's account with its tokens and, through the removal steps, everything synced for it. `also`
   * runs in the same transaction, before the account goes: what the user asked to remove with this one
   * disconnect (e.g. the links made from the mailbox).
   */
  async removeForUser(userId: AccountId, id: AccountId, options: { also?: AccountRemovalStep } = {}): Promise<void> {
    await inTransaction(this.db, async (transaction) => {
      const row = await this.findForUser(userId, id, { transaction });
      if (options.also) await options.also(row, { transaction });
      await this.repo.destroy({ filterByTk: row.get('id') as number, transaction });
    });
  }
}
