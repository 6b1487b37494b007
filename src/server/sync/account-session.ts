import type { ImapFlow } from 'imapflow';
import { MailSyncStage } from '../../shared/mail-reading';
import { closeQuietly, ImapEndpoint, ImapTokenSource, openImapConnection } from '../transport/imap/open-connection';
import { ImapFailure, parseImapError } from '../transport/imap/parse-imap-error';
import { AccountSyncDeps, syncAccount } from './account-sync';
import { storeInboxArrivals } from './inbox-arrivals';
import { backoffDelay } from './backoff';
import type { LoginGate } from './login-gate';
import type { SyncStateStore } from '../store/sync-state-store';

/** `arrivals`: only what IDLE announced as new in the Inbox (inbox-arrivals.ts), else an `inbox` sync. */
export type SyncKind = 'full' | 'inbox' | 'arrivals';

/** Background work the session runs on its connection between syncs, a small batch at a time (text-indexer.ts). */
export interface SessionBackgroundWork {
  /** Pause between two batches: push and syncs queued meanwhile go first. */
  pauseMs: number;
  /** True while a user's request needs the account's server: the batch waits another pause. */
  shouldYield(accountId: number): boolean;
  /** Runs one batch; answers whether more is left. */
  batch(client: ImapFlow, accountId: number, since: Date): Promise<boolean>;
}

/**
 * After a failure: retry on the session's own backoff, or stop the session. A stopped account may name when it is
 * tried again (by a fresh session, once something marks it connected again).
 */
export type FailureDecision = { verdict: 'retry' } | { verdict: 'stop'; retryAt?: Date };

export interface SessionDeps {
  accountId: number;
  endpoint(): Promise<ImapEndpoint>;
  tokens: ImapTokenSource;
  /** Oldest date the account's copy must cover now. */
  windowStart(): Promise<Date>;
  /** Periodic full sync interval. */
  intervalMs(): Promise<number>;
  sync: AccountSyncDeps;
  states: SyncStateStore;
  /**
   * Records a failure where the user can see it (account status for auth/permanent ones) and decides what
   * follows. `failures` counts failures in a row, across sessions, this one included.
   */
  onFailure(accountId: number, failure: ImapFailure, failures: number): Promise<FailureDecision>;
  instanceId?: string;
  log?: { debug?(msg: string, meta?: object): void; warn?(msg: string, meta?: object): void };
  /** Reconnect this long before the access token expires (servers may end sessions at expiry). */
  tokenRenewMarginMs?: number;
  /** Coalesces bursts of IDLE notifications into one Inbox sync. */
  pushDebounceMs?: number;
  /** Run after each successful sync, never before the first one is done (the body text indexer). */
  background?: SessionBackgroundWork;
  /** The node's bound on logins in flight at once (the coordinator's); without it, logins are not bounded. */
  logins?: Pick<LoginGate, 'enter'>;
}

const INBOX = 'INBOX';
/** The settings' default sync interval, used when the setting cannot be read. */
const DEFAULT_INTERVAL_MS = 5 * 60_000;

function sleep(ms: number, wake: { cancel?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref?.();
    wake.cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

/**
 * The one long-lived IMAP connection of an account on the node that owns it: a full sync on connect and then
 * every interval, and IDLE on the Inbox in between so new mail is stored within a second or two. Failures go
 * through the classifier: transient ones reconnect with backoff (as long as the server asked, when throttled),
 * auth and permanent ones stop the session with the reason on the account. The cursor lives in the database and
 * only advances after a folder finished, so a crash or a kill mid-sync never loses or duplicates anything.
 */
export class AccountSession {
  private client: ImapFlow | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private closed: (() => void) | null = null;
  private backoffWake: { cancel?: () => void } = {};
  /** Aborted by stop(): a login still waiting for its turn gives up at once. */
  private readonly halted = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private pushTimer: NodeJS.Timeout | null = null;
  /** What the pending push sync must cover: see watch(). */
  private pushNeeds: SyncKind = 'arrivals';
  private backgroundTimer: NodeJS.Timeout | null = null;
  /** A background batch is waiting or queued: at most one at a time, however many syncs ask. */
  private backgroundQueued = false;
  private waiters: Array<() => void> = [];
  /** Consecutive failures, for the backoff; reset by a successful sync, kept in the sync state across sessions. */
  private failures = 0;
  private retryDelay = 0;
  /** Until when the server asked us to wait (throttling); "Sync now" does not cut this wait short. */
  private serverWaitUntil = 0;

  constructor(private readonly deps: SessionDeps) {}

  get accountId(): number {
    return this.deps.accountId;
  }

  get connected(): boolean {
    return !!this.client?.usable;
  }

  /** Stopped for good: by a failure that needs someone to act, or by stop(). A stopped session never starts again. */
  get ended(): boolean {
    return this.stopped;
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Ends the session (account disconnected, ownership lost, app stopping). */
  async stop(): Promise<void> {
    const client = this.halt();
    await closeQuietly(client);
    await this.running;
    // A sync that was mid-way finishes its current statement and gives up; no write may outlive the session.
    await this.chain;
    this.releaseWaiters();
  }

  /**
   * Syncs now. Resolves when the sync ran (successfully or not); while the connection is down, after the next
   * reconnect, which this call also hurries.
   */
  requestSync(kind: SyncKind = 'full'): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // Trying before a throttling server said to only earns a longer wait; the sync state shows when the next try is.
    if (Date.now() < this.serverWaitUntil) return Promise.resolve();
    if (!this.client?.usable) {
      this.backoffWake.cancel?.();
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    return this.enqueue(kind);
  }

  /**
   * Stops without waiting for anything: ends the loop's wait on the connection and hands back the client to close.
   * A sync that fails for good calls this from inside the sync chain, which `stop()` waits for: waiting there
   * would wait for itself, forever.
   */
  private halt(): ImapFlow | null {
    this.stopped = true;
    this.halted.abort();
    this.backoffWake.cancel?.();
    this.clearTimers();
    const client = this.client;
    this.client = null;
    this.closed?.();
    return client;
  }

  /** Queues a sync after the ones already queued; the promise settles once it ran and never rejects. */
  private enqueue(kind: SyncKind): Promise<void> {
    this.queue(kind);
    return this.chain;
  }

  /** Queues a sync without waiting for it (timers, push). */
  private queue(kind: SyncKind): void {
    this.chain = this.chain.then(() => this.runSync(kind)).catch((err: unknown) => this.unexpected(err));
  }

  /**
   * runSync records its own failures; what still gets here failed while recording one (a bug, or the database
   * going away in between). Log it and start over on a fresh connection, as for a transient failure.
   */
  private unexpected(err: unknown): void {
    this.deps.log?.warn?.('mail sync failed unexpectedly', {
      accountId: this.accountId,
      message: err instanceof Error ? err.message : String(err),
    });
    this.closed?.();
  }

  private async loop(): Promise<void> {
    this.failures = await this.storedFailures();
    let first = true;
    while (!this.stopped) {
      let client: ImapFlow | null = null;
      try {
        const leave = this.deps.logins
          ? await this.deps.logins.enter({ first, signal: this.halted.signal })
          : () => undefined;
        first = false;
        if (!leave || this.stopped) {
          leave?.();
          break;
        }
        let opened;
        try {
          opened = await openImapConnection({
            endpoint: await this.deps.endpoint(),
            accountId: this.accountId,
            tokens: this.deps.tokens,
          });
        } finally {
          leave();
        }
        client = opened.client;
        if (this.stopped) break;
        this.client = client;
        this.serverWaitUntil = 0;
        const closed = new Promise<void>((resolve) => {
          this.closed = resolve;
          client!.once('close', () => resolve());
        });
        this.watch(client, opened.token.expiresOn);
        await this.deps.states.update(this.accountId, {
          pushConnected: true,
          ownerInstance: this.deps.instanceId ?? null,
        });
        await this.enqueue('full');
        this.releaseWaiters();
        await closed;
      } catch (err) {
        if (this.stopped) break;
        const failure = parseImapError(err);
        if ((await this.fail(failure)) === 'stop') break;
      } finally {
        this.clearTimers();
        if (this.client === client) this.client = null;
        await closeQuietly(client);
        await this.deps.states.update(this.accountId, { pushConnected: false }).catch(() => undefined);
      }
      if (this.stopped) break;
      // A connection that ended without an error (server restart, network blip) reconnects after a short pause.
      await sleep(this.retryDelay > 0 ? this.retryDelay : backoffDelay(1, undefined), this.backoffWake);
    }
    this.releaseWaiters();
  }

  /** Failures in a row before this session, so the backoff keeps growing across sessions and restarts. */
  private async storedFailures(): Promise<number> {
    try {
      return Number((await this.deps.states.get(this.accountId))?.get('failures') ?? 0) || 0;
    } catch {
      return 0;
    }
  }

  /** Records the failure; returns whether to go on retrying. */
  private async fail(failure: ImapFailure): Promise<'retry' | 'stop'> {
    this.failures += 1;
    const fallback: FailureDecision = {
      verdict: failure.kind === 'auth' || failure.kind === 'permanent' ? 'stop' : 'retry',
    };
    this.retryDelay = backoffDelay(this.failures, failure.retryAfterMs);
    // The account's status is written first and the state after it: a stopped state with a retry time is what
    // recovery looks for, so it never sees an account in error with a stale retry time.
    const decided = await this.deps.onFailure(this.accountId, failure, this.failures).catch(() => fallback);
    const stop = decided.verdict === 'stop';
    const nextRetryAt = decided.verdict === 'stop' ? (decided.retryAt ?? null) : new Date(Date.now() + this.retryDelay);
    this.serverWaitUntil = !stop && failure.retryAfterMs !== undefined && nextRetryAt ? nextRetryAt.getTime() : 0;
    await this.deps.states
      .update(this.accountId, {
        stage: stop ? MailSyncStage.stopped : MailSyncStage.retrying,
        lastError: failure.error.userMessage,
        lastErrorCode: failure.error.code,
        failures: this.failures,
        nextRetryAt,
        done: 0,
        total: 0,
      })
      .catch((err: unknown) =>
        this.deps.log?.warn?.('mail sync state not saved', {
          accountId: this.accountId,
          message: err instanceof Error ? err.message : String(err),
        }),
      );
    // Whoever waits for "the next sync" gets its answer: it failed, and the state says why.
    this.releaseWaiters();
    this.deps.log?.warn?.('mail sync failed', {
      accountId: this.accountId,
      kind: failure.kind,
      code: failure.error.code,
      message: failure.error.message,
    });
    if (stop) {
      this.stopped = true;
      return 'stop';
    }
    return 'retry';
  }

  private async runSync(kind: SyncKind): Promise<void> {
    const client = this.client;
    if (!client?.usable || this.stopped) return;
    try {
      if (kind === 'arrivals' && (await storeInboxArrivals(client, this.accountId, this.deps.sync))) {
        // The sync state already says idle: the stored messages and the change counter tell clients what came.
        this.scheduleBackground();
        client.idle().catch(() => undefined);
        return;
      }
      await syncAccount(
        client,
        { accountId: this.accountId, windowStart: await this.deps.windowStart(), inboxOnly: kind !== 'full' },
        this.deps.sync,
      );
      this.failures = 0;
      this.retryDelay = 0;
      await this.deps.states.update(this.accountId, {
        stage: MailSyncStage.idle,
        done: 0,
        total: 0,
        failures: 0,
        lastSyncAt: new Date(),
        lastError: null,
        lastErrorCode: null,
        nextRetryAt: null,
        ...(kind === 'full' ? { windowStart: await this.deps.windowStart() } : {}),
      });
      this.scheduleBackground();
      await this.idleInbox(client);
    } catch (err) {
      if (this.stopped) return;
      const failure = parseImapError(err);
      if (failure.kind === 'mailboxMissing') return;
      if ((await this.fail(failure)) === 'stop') {
        // The loop closes the connection once it sees the session halted; this sync is part of what stop() awaits.
        this.halt();
        return;
      }
      // The connection may be half-broken: start over on a fresh one after the backoff.
      this.closed?.();
    }
  }

  /**
   * Queues one background batch after the pause. Each batch is a turn of the sync chain like a push sync, so what
   * push or a timer queued meanwhile runs first, and the Inbox goes back to IDLE after each one.
   */
  private scheduleBackground(): void {
    const work = this.deps.background;
    if (!work || this.backgroundQueued || this.stopped) return;
    this.backgroundQueued = true;
    this.backgroundTimer = setTimeout(() => {
      this.backgroundTimer = null;
      this.chain = this.chain.then(() => this.runBackground(work)).catch((err: unknown) => this.unexpected(err));
    }, work.pauseMs);
    this.backgroundTimer.unref?.();
  }

  private async runBackground(work: SessionBackgroundWork): Promise<void> {
    this.backgroundQueued = false;
    const client = this.client;
    if (!client?.usable || this.stopped) return;
    if (work.shouldYield(this.accountId)) return this.scheduleBackground();
    let more = false;
    try {
      more = await work.batch(client, this.accountId, await this.deps.windowStart());
    } catch (err) {
      if (this.stopped) return;
      // Left for the next sync to start again; a broken connection is replaced as after a failed sync.
      this.deps.log?.warn?.('mail background work failed', {
        accountId: this.accountId,
        message: err instanceof Error ? err.message : String(err),
      });
      if (!client.usable) this.closed?.();
      return;
    }
    if (more) this.scheduleBackground();
    await this.idleInbox(client);
  }

  /**
   * Selects the Inbox read-only and starts IDLE (RFC 2177) at once, instead of after imapflow's 15 s delay. Mail
   * that arrived after the sync read the Inbox's STATUS but before this SELECT is already counted in EXISTS and
   * raises no event: when SELECT shows the Inbox ahead of the stored cursor, sync it again first.
   */
  private async idleInbox(client: ImapFlow): Promise<void> {
    if (!client.usable || this.stopped) return;
    if (!client.mailbox || client.mailbox.path !== INBOX) await client.mailboxOpen(INBOX, { readOnly: true });
    const selected = client.mailbox;
    const inbox = (await this.deps.sync.folders.list(this.accountId)).find((f) => f.role === 'inbox');
    if (
      selected &&
      inbox &&
      (selected.uidNext > (inbox.cursor.uidNext ?? 0) || selected.exists !== inbox.cursor.messages)
    ) {
      this.queue('inbox');
      return;
    }
    // An IDLE that fails ends in the connection's 'close', which the loop answers by reconnecting.
    client.idle().catch(() => undefined);
  }

  private watch(client: ImapFlow, tokenExpiresOn: Date | undefined): void {
    // New mail alone needs only what arrived; an expunge or a flag change in the same burst needs the Inbox sync.
    const onChange = (needs: SyncKind) => (ev: { path?: string }) => {
      if (ev.path && ev.path !== INBOX) return;
      if (this.pushTimer) clearTimeout(this.pushTimer);
      this.pushNeeds = this.pushNeeds === 'inbox' ? 'inbox' : needs;
      this.pushTimer = setTimeout(() => {
        const kind = this.pushNeeds;
        this.pushTimer = null;
        this.pushNeeds = 'arrivals';
        this.queue(kind);
      }, this.deps.pushDebounceMs ?? 100);
    };
    client.on('exists', onChange('arrivals'));
    client.on('expunge', onChange('inbox'));
    client.on('flags', onChange('inbox'));

    const every = (ms: number) => {
      if (this.stopped || this.client !== client) return;
      const t = setInterval(() => this.queue('full'), Math.max(10_000, ms));
      t.unref?.();
      this.timers.push(t);
    };
    this.deps.intervalMs().then(every, (err: unknown) => {
      // Without the setting (database briefly unavailable) periodic syncs still run, at the default pace.
      this.deps.log?.warn?.('mail sync interval unreadable; using the default', {
        accountId: this.accountId,
        message: err instanceof Error ? err.message : String(err),
      });
      every(DEFAULT_INTERVAL_MS);
    });

    if (tokenExpiresOn) {
      // Reconnect with a fresh token before this one expires; Outlook may end sessions whose token ran out.
      const margin = this.deps.tokenRenewMarginMs ?? 5 * 60_000;
      const at = Math.max(60_000, tokenExpiresOn.getTime() - Date.now() - margin);
      const t = setTimeout(() => this.chain.then(() => this.closed?.()), Math.min(at, 2 ** 31 - 1));
      t.unref?.();
      this.timers.push(t);
    }
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = null;
    this.pushNeeds = 'arrivals';
    // A batch already in the chain clears its own mark when it runs (and finds the connection gone).
    if (this.backgroundTimer) {
      clearTimeout(this.backgroundTimer);
      this.backgroundTimer = null;
      this.backgroundQueued = false;
    }
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
