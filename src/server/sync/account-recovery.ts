import type { Database } from '@nocobase/database';
import { Op } from '@nocobase/database';
import { MailAccountStatus } from '../../shared/constants';
import { MailSyncStage } from '../../shared/mail-reading';
import { BackoffOptions, recoveryDelay } from './backoff';
import { ACCOUNTS_COLLECTION, SYNC_STATES_COLLECTION } from '../store/collection-names';

/**
 * Brings accounts in `error` back without anyone clicking "Sync now": each when the retry time its last failure
 * set has come, and all at once when the admin saves the settings (a rotated client secret is the usual cause).
 * Bringing back means marking the account connected again; the coordinator's scan then gives it a fresh session,
 * whose own failure puts it back in `error` with a later retry time. Accounts that need their user to sign in
 * again (`reconnect_required`) are left alone: retrying cannot fix them.
 */
export class AccountRecovery {
  constructor(
    private readonly db: Database,
    private readonly backoff: BackoffOptions = {},
  ) {}

  /** Accounts in `error` whose state is stopped with a retry time that has come. */
  async due(now = new Date()): Promise<number[]> {
    const failed = await this.failedAccounts();
    if (!failed.length) return [];
    const rows = (await this.db.getModel(SYNC_STATES_COLLECTION).findAll({
      attributes: ['accountId'],
      where: { accountId: failed, stage: MailSyncStage.stopped, nextRetryAt: { [Op.lte]: now } },
      raw: true,
    })) as unknown as { accountId: number }[];
    return rows.map((r) => Number(r.accountId));
  }

  /** Revives the accounts that are due, then gives a retry time to those in `error` without one; returns the revived. */
  async reviveDue(now = new Date()): Promise<number[]> {
    const revived: number[] = [];
    for (const id of await this.due(now)) {
      if (!(await this.claim(id, now))) continue;
      await this.revive(id);
      revived.push(id);
    }
    await this.scheduleUnscheduled(now);
    return revived;
  }

  /**
   * An account can land in `error` with no retry time: the token service marks it itself when a refresh is refused,
   * and that status change stops the session before the session records the failure. Such an account gets the
   * retry time its failure would have set (one failure more than the state counts), only while it still has none.
   */
  private async scheduleUnscheduled(now: Date): Promise<void> {
    const failed = await this.failedAccounts();
    if (!failed.length) return;
    const states = this.db.getModel(SYNC_STATES_COLLECTION);
    const rows = (await states.findAll({
      attributes: ['accountId', 'failures'],
      where: { accountId: failed, nextRetryAt: null },
      raw: true,
    })) as unknown as { accountId: number; failures: number | null }[];
    for (const row of rows) {
      const failures = (Number(row.failures) || 0) + 1;
      await states.update(
        {
          stage: MailSyncStage.stopped,
          failures,
          nextRetryAt: new Date(now.getTime() + recoveryDelay(failures, this.backoff)),
        },
        { where: { accountId: row.accountId, nextRetryAt: null } },
      );
    }
  }

  /** Revives every account in `error` (the settings they failed with have changed). */
  async reviveAll(): Promise<number[]> {
    const ids = await this.failedAccounts();
    for (const id of ids) await this.revive(id);
    return ids;
  }

  /**
   * Takes the due retry time off the state, if it is still there: exactly one of several scans (or nodes) that saw
   * the account due goes on, and a scan that read the state before the retry failed again cannot revive it again.
   */
  private async claim(accountId: number, now: Date): Promise<boolean> {
    const [claimed] = await this.db
      .getModel(SYNC_STATES_COLLECTION)
      .update(
        { nextRetryAt: null },
        { where: { accountId, stage: MailSyncStage.stopped, nextRetryAt: { [Op.lte]: now } } },
      );
    return claimed > 0;
  }

  private async failedAccounts(): Promise<number[]> {
    const rows = (await this.db
      .getModel(ACCOUNTS_COLLECTION)
      .findAll({ attributes: ['id'], where: { status: MailAccountStatus.error }, raw: true })) as unknown as {
      id: number;
    }[];
    return rows.map((r) => Number(r.id));
  }

  /**
   * Only if still in `error`: another node may have revived it already, or it may have been disconnected or asked
   * to reconnect meanwhile. One conditional UPDATE (no transaction of its own, which on SQLite would interleave
   * with the sessions' writes); `individualHooks` runs the account's update hooks, which start the rescan.
   */
  private async revive(accountId: number): Promise<void> {
    await this.db
      .getModel(ACCOUNTS_COLLECTION)
      .update(
        { status: MailAccountStatus.connected, statusReason: null },
        { where: { id: accountId, status: MailAccountStatus.error }, individualHooks: true },
      );
  }
}
