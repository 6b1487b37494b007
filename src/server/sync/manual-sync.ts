import { MailAccountStatus } from '../../shared/constants';
import type { MailSyncStatusView } from '../../shared/mail-reading-types';
import type { AccountService } from '../accounts/account-service';
import { MailError, MailErrorCode } from '../errors/mail-error';
import type { SyncKind } from './account-session';
import type { MailProviderRegistry } from '../providers/registry';
import { reconnectHint } from '../providers/wording';
import type { SyncStateStore } from '../store/sync-state-store';

export interface ManualSyncDeps {
  accounts: AccountService;
  providers: MailProviderRegistry;
  states: SyncStateStore;
  windowStart(accountId: number): Promise<Date>;
  /** Syncs on this node when it owns the account, else asks the owner; resolves when done here or asked. */
  sync(accountId: number, kind: SyncKind): Promise<void>;
  /** Longest wait for the sync before answering with the current progress (default 50 s). */
  waitMs?: number;
}

/**
 * "Sync now" from a user: the account's state decides what may run, an account in error is given another try, a
 * request for older mail widens the window first; the answer is the sync state after the sync, or its progress
 * when the sync takes longer than the wait.
 */
export class ManualSync {
  constructor(private readonly deps: ManualSyncDeps) {}

  async syncNow(accountId: number, options: { olderDays?: number; kind?: SyncKind } = {}): Promise<MailSyncStatusView> {
    const { accounts, states } = this.deps;
    const account = await accounts.findById(accountId);
    if (!account) throw new MailError(MailErrorCode.NOT_FOUND, 'No such mailbox among your connected accounts.');
    if (account.get('status') === MailAccountStatus.reconnectRequired) {
      throw new MailError(
        MailErrorCode.RECONNECT_REQUIRED,
        (account.get('statusReason') as string) ||
          reconnectHint(this.deps.providers.get(account.get('provider') as string)),
      );
    }
    if (options.olderDays) {
      const from = await this.deps.windowStart(accountId);
      await states.update(accountId, { windowStart: new Date(from.getTime() - options.olderDays * 86_400_000) });
    }
    if (account.get('status') === MailAccountStatus.error) {
      // "Sync now" is how a user retries after a permanent failure was fixed (by them or the admin).
      await accounts.markStatus(accountId, MailAccountStatus.connected, null);
    }
    const run = this.deps.sync(accountId, options.kind ?? 'full');
    await Promise.race([run, new Promise((r) => setTimeout(r, this.deps.waitMs ?? 50_000).unref())]);
    return (await states.views([accountId]))[0];
  }
}
