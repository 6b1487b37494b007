import type { LeaseTable } from './lease-table';

/**
 * The nodes alive in the cluster: each holds a lease on its own key, renewed as it scans, so a node that stops or
 * dies drops out of the count once its lease runs out (at once when it leaves cleanly).
 */
export class ClusterMembers {
  constructor(
    private readonly leases: LeaseTable,
    /** Keys of the app's members start with it. */
    private readonly prefix: string,
    /** This node's id, unique per app instance. */
    private readonly instance: string,
  ) {}

  private get key(): string {
    return `${this.prefix}${this.instance}`;
  }

  /** Counts this node in for `ttlMs` from now. */
  async beat(ttlMs: number): Promise<void> {
    if (await this.leases.renew(this.key, this.instance, ttlMs)) return;
    await this.leases.take(this.key, this.instance, ttlMs);
  }

  async count(): Promise<number> {
    return this.leases.countLive(this.prefix);
  }

  async leave(): Promise<void> {
    await this.leases.release(this.key, this.instance);
  }
}
