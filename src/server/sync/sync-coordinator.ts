import type { ILock, Releaser } from '@nocobase/lock-manager';
import type { Locks } from '../cluster/database-locks';
import type { AccountSession, SyncKind } from './account-session';
import { LoginGate, LoginGateOptions } from './login-gate';

export interface CoordinatorDeps {
  /** Cluster-wide; `extend` of a lock throws once another node has taken its lease over. */
  locks: Locks;
  /**
   * The live nodes of the cluster, when known: a node then takes no more than its share of the accounts, so they
   * spread over the nodes instead of all going to the first one that scans.
   */
  members?: { beat(ttlMs: number): Promise<void>; count(): Promise<number>; leave(): Promise<void> };
  /** Includes the app name: apps sharing a process or a Redis never share ownership. */
  lockPrefix: string;
  /** Accounts that should have a live connection (status connected). */
  connectedAccounts(): Promise<number[]>;
  /** A session that logs in through `logins`, the node's bound on logins at once (hand it to SessionDeps.logins). */
  createSession(accountId: number, logins: LoginGate): AccountSession;
  /** How many sessions log in at once, and the random pause before a session's first login. */
  logins?: LoginGateOptions;
  /** Marks accounts in error whose retry time has come connected again, so the scan that called it picks them up. */
  reviveDue?(): Promise<void>;
  /** How often ownership is renewed and unowned accounts are picked up. */
  scanIntervalMs?: number;
  /**
   * A lease is renewed by the first scan at least this long after it was taken or last renewed (default half the
   * scan interval): the timed scans renew every lease, while the scans an account change asks for (a thousand of
   * them when a thousand mailboxes connect) renew none they need not.
   */
  renewAfterMs?: number;
  /** Lease renewals a scan runs at once (default 10). */
  renewConcurrency?: number;
  /** Lease of an ownership lock; renewed by the timed scans, so it must be longer than the interval. */
  leaseMs?: number;
  log?: { warn?(msg: string, meta?: object): void };
}

interface Owned {
  session: AccountSession;
  lock: ILock;
  release: Releaser;
  /** When the lease was taken or last renewed (this process's clock). */
  renewedAt: number;
}

/**
 * Decides which accounts this node syncs. Ownership of an account is a cluster-wide lease (a row in the database,
 * cluster/), renewed on every scan: exactly one node holds an account's connection, and when that node stops or
 * dies another picks the account up once the lease runs out. Rows stay single even if two nodes ever overlap
 * (unique indexes, insert-or-ignore).
 */
export class SyncCoordinator {
  private readonly owned = new Map<number, Owned>();
  private readonly owning = new Map<number, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private rescan = false;
  private stopped = true;
  /**
   * A scan starts every account it takes at once; the gate makes them log in a few at a time, so a node starting
   * with a thousand mailboxes never asks the token endpoint and the IMAP server for a thousand logins together.
   */
  private readonly logins: LoginGate;

  constructor(private readonly deps: CoordinatorDeps) {
    this.logins = new LoginGate(deps.logins);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.scanInBackground(), this.deps.scanIntervalMs ?? 30_000);
    this.timer.unref?.();
    this.scanInBackground();
  }

  /** A scan nobody waits for (timer, account changes); its failures are logged, the next one tries again. */
  scanInBackground(): void {
    this.scan().catch((err: unknown) => this.deps.log?.warn?.('mail sync scan failed', { err }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Connections close first: the scan under way may be waiting its turn at a busy database, and app stop must not
    // wait for it to close them. What it took meanwhile is dropped once it is done.
    const dropping = Promise.all([...this.owned.keys()].map((id) => this.drop(id)));
    await this.scanning;
    await dropping;
    await Promise.all([...this.owned.keys()].map((id) => this.drop(id)));
    await this.deps.members?.leave().catch(() => undefined);
  }

  owns(accountId: number): boolean {
    return this.owned.has(accountId);
  }

  ownedAccounts(): number[] {
    return [...this.owned.keys()];
  }

  session(accountId: number): AccountSession | undefined {
    return this.owned.get(accountId)?.session;
  }

  /** Runs a sync on this node if it owns the account (or can take it over now); false when another node owns it. */
  async syncHere(accountId: number, kind: SyncKind): Promise<boolean> {
    if (!this.owned.has(accountId) && !this.stopped) await this.tryOwn(accountId);
    const owned = this.owned.get(accountId);
    if (!owned) return false;
    await owned.session.requestSync(kind);
    return true;
  }

  /** Picks up new accounts and renews leases; safe to call any time (runs are coalesced). */
  scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.rescan = false;
        await this.scanOnce().catch((err) => this.deps.log?.warn?.('mail sync scan failed', { err }));
      } while (this.rescan && !this.stopped);
    })().finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  /** Stops the account's session here (disconnected or removed). */
  async drop(accountId: number): Promise<void> {
    const owned = this.owned.get(accountId);
    if (!owned) return;
    this.owned.delete(accountId);
    await owned.session.stop().catch(() => undefined);
    await Promise.resolve(owned.release()).catch(() => undefined);
  }

  private key(accountId: number): string {
    return `${this.deps.lockPrefix}:mail-sync-owner:${accountId}`;
  }

  private async scanOnce(): Promise<void> {
    if (this.stopped) return;
    // A failure here must not cost the node its lease renewals: log it and scan on.
    await this.deps.reviveDue?.().catch((err: unknown) => this.deps.log?.warn?.('mail sync recovery failed', { err }));
    const wanted = new Set(await this.deps.connectedAccounts());
    const share = await this.share(wanted.size);
    const renewAfter = this.deps.renewAfterMs ?? (this.deps.scanIntervalMs ?? 30_000) / 2;
    const entries = [...this.owned];
    let next = 0;
    // A statement each, several at a time: one by one, a busy database made a thousand renewals outlast the lease.
    const worker = async () => {
      // stop() waits for the scan under way: it must not wait for every renewal still to come.
      while (next < entries.length && !this.stopped) {
        const [id, owned] = entries[next++];
        // A session that stopped itself while its account is wanted again (revived before any scan saw it in error)
        // is replaced below by a fresh one: kept, it would leave the account connected but never synced.
        if (!wanted.has(id) || owned.session.ended) await this.drop(id);
        else if (Date.now() - owned.renewedAt >= renewAfter) await this.renew(id);
      }
    };
    const parallel = Math.max(1, Math.min(this.deps.renewConcurrency ?? 10, entries.length));
    await Promise.all(Array.from({ length: parallel }, worker));
    for (const id of wanted) {
      if (this.stopped || this.owned.size >= share) return;
      if (!this.owned.has(id)) await this.tryOwn(id);
    }
  }

  /**
   * How many accounts this node takes at most: an even split over the live nodes, rounded up so that together they
   * take every account. A node that died drops out of the count when its lease runs out, as its accounts do.
   */
  private async share(accounts: number): Promise<number> {
    const members = this.deps.members;
    if (!members) return Infinity;
    try {
      await members.beat(this.lease);
      return Math.ceil(accounts / Math.max(1, await members.count()));
    } catch (err) {
      // Without a count this node takes what is free: every account is still owned once.
      this.deps.log?.warn?.('mail sync node count failed', { err });
      return Infinity;
    }
  }

  private async renew(accountId: number): Promise<void> {
    const owned = this.owned.get(accountId);
    if (!owned) return;
    try {
      const at = Date.now();
      await owned.lock.extend?.(this.lease);
      owned.renewedAt = at;
    } catch (err) {
      // The lease ran out (the process stalled longer than the lease) and another node may own the account now,
      // or the renewal itself failed: stop here and release what may still be ours, so the account is not left
      // unowned until the lease runs out. A scan picks it up again wherever it is free.
      this.deps.log?.warn?.('mail sync ownership lost', { accountId, err });
      await this.drop(accountId);
    }
  }

  private get lease(): number {
    return this.deps.leaseMs ?? 3 * (this.deps.scanIntervalMs ?? 30_000);
  }

  /**
   * Takes the account if nobody holds it. Callers on this node share one attempt: a second one would find the lease
   * held (by this node, mid-way) and give up, and a "Sync now" during a scan would then sync nowhere.
   */
  private tryOwn(accountId: number): Promise<void> {
    const pending = this.owning.get(accountId);
    if (pending) return pending;
    const attempt = this.takeIfFree(accountId).finally(() => this.owning.delete(accountId));
    this.owning.set(accountId, attempt);
    return attempt;
  }

  private async takeIfFree(accountId: number): Promise<void> {
    let lock: ILock;
    try {
      lock = await this.deps.locks.tryAcquire(this.key(accountId));
    } catch {
      return; // Another node owns it.
    }
    if (this.stopped || this.owned.has(accountId)) {
      await lock.release();
      return;
    }
    const renewedAt = Date.now();
    const release = await lock.acquire(this.lease);
    if (this.stopped) {
      await Promise.resolve(release()).catch(() => undefined);
      return;
    }
    const session = this.deps.createSession(accountId, this.logins);
    this.owned.set(accountId, { session, lock, release, renewedAt });
    session.start();
  }
}
