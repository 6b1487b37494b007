import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ILock, LockManager, Releaser } from '@nocobase/lock-manager';
import { KeyedMutex, Unlock } from './keyed-mutex';
import type { LeaseTable } from './lease-table';

/** What the plugin asks of a lock manager: NocoBase's, or the database's leases below. */
export type Locks = Pick<LockManager, 'tryAcquire' | 'runExclusive'>;

export class LockHeldError extends Error {
  constructor(key: string) {
    super(`The lock ${key} is held.`);
    this.name = 'LockHeldError';
  }
}

export class LeaseLostError extends Error {
  constructor(key: string) {
    super(`The lease on ${key} ran out and was taken over.`);
    this.name = 'LeaseLostError';
  }
}

export interface DatabaseLocksOptions {
  /** How long a lock from `tryAcquire` is held before its `acquire(ttl)` sets the lease. */
  reserveMs?: number;
  /** First and longest wait between attempts of `runExclusive` while another node holds the key. */
  pollMs?: { first: number; max: number };
}

const DEFAULT_RESERVE_MS = 30_000;
const DEFAULT_POLL_MS = { first: 25, max: 500 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Locks that hold across the processes of a cluster on one database, with the semantics of NocoBase's lock manager
 * (a lock held past its TTL may be taken by another). Each key is first locked in this app instance, so callers
 * here queue in memory and only one of them at a time asks the database; the lease itself is a row of
 * `mailLocks` (lease-table.ts). Every acquisition has its own holder id: the instance's, unique per app instance
 * (apps in one process are separate nodes), and a sequence number.
 */
export class DatabaseLocks implements Locks {
  readonly instance = `${hostname()}:${process.pid}:${randomUUID()}`;
  private readonly local = new KeyedMutex();
  private sequence = 0;
  private readonly reserveMs: number;
  private readonly poll: { first: number; max: number };

  constructor(
    private readonly leases: LeaseTable,
    options: DatabaseLocksOptions = {},
  ) {
    this.reserveMs = options.reserveMs ?? DEFAULT_RESERVE_MS;
    this.poll = options.pollMs ?? DEFAULT_POLL_MS;
  }

  /** The key's lock if nobody here or on another node holds it; throws LockHeldError otherwise. */
  async tryAcquire(key: string): Promise<ILock> {
    const unlock = this.local.tryLock(key);
    if (!unlock) throw new LockHeldError(key);
    const holder = this.nextHolder();
    try {
      if (!(await this.leases.take(key, holder, this.reserveMs))) throw new LockHeldError(key);
    } catch (err) {
      unlock();
      throw err;
    }
    return new Lease(this.leases, key, holder, unlock);
  }

  /**
   * Runs `fn` holding the key, waiting for it as long as it takes: another node's lease ends when it is released
   * or after its TTL. The lease here lasts `ttlMs` too, and callers here queue for at most that long.
   */
  async runExclusive<T>(key: string, fn: () => Promise<T>, ttlMs: number): Promise<T> {
    const unlock = await this.local.lock(key);
    // As NocoBase's local adapter does: a caller that overruns its TTL no longer keeps the others here waiting.
    const overrun = setTimeout(unlock, ttlMs);
    overrun.unref?.();
    const holder = this.nextHolder();
    try {
      await this.takeWhenFree(key, holder, ttlMs);
      try {
        return await fn();
      } finally {
        await this.leases.release(key, holder).catch(() => undefined);
      }
    } finally {
      clearTimeout(overrun);
      unlock();
    }
  }

  private async takeWhenFree(key: string, holder: string, ttlMs: number): Promise<void> {
    let wait = this.poll.first;
    while (!(await this.leases.take(key, holder, ttlMs))) {
      // Jitter keeps the nodes waiting for one key from asking the database in step.
      await sleep(wait / 2 + Math.random() * wait);
      wait = Math.min(wait * 2, this.poll.max);
    }
  }

  private nextHolder(): string {
    this.sequence += 1;
    return `${this.instance}#${this.sequence}`;
  }
}

/** A lease taken by `tryAcquire`: `acquire(ttl)` sets its length, `extend(ttl)` renews it, `release()` ends it. */
class Lease implements ILock {
  private released = false;

  constructor(
    private readonly leases: LeaseTable,
    private readonly key: string,
    private readonly holder: string,
    private readonly unlock: Unlock,
  ) {}

  async acquire(ttlMs: number): Promise<Releaser> {
    await this.extend(ttlMs);
    return () => this.release();
  }

  /**
   * Throws LeaseLostError, and frees the key here, when another node took the lease over after it ran out. A
   * database error is thrown as it is: the lease may still be ours, for `release()` to end.
   */
  async extend(ttlMs: number): Promise<void> {
    if (this.released) throw new LeaseLostError(this.key);
    if (await this.leases.renew(this.key, this.holder, ttlMs)) return;
    this.released = true;
    this.unlock();
    throw new LeaseLostError(this.key);
  }

  async runExclusive<T>(fn: () => Promise<T>, ttlMs: number): Promise<T> {
    await this.acquire(ttlMs);
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      await this.leases.release(this.key, this.holder);
    } finally {
      this.unlock();
    }
  }
}
