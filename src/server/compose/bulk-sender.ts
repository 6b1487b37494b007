import type { Locks } from '../cluster/database-locks';
import type { OutboxStore } from '../store/outbox-store';
import type { OutboxSender } from './outbox-sender';

export interface BulkSenderDeps {
  store: OutboxStore;
  sender: Pick<OutboxSender, 'deliverIfFree'>;
  /** Cluster-wide: one node at a time sends a mailbox's bulk messages, so the rate holds for the cluster. */
  locks: Locks;
  lockPrefix: string;
  /** At most this many send attempts per mailbox within `windowMs`, single sends included (its provider's rate). */
  perWindow(accountId: number): Promise<number>;
  /** 60 s unless a test shortens it. */
  windowMs?: number;
  /** How often waiting messages are looked for. */
  tickMs?: number;
  log?: { warn(message: string, meta?: object): void };
}

/**
 * Sends the messages of bulk sends (`mailMessages:sendBulk`), stored `queued` with a batch id, in the background:
 * per mailbox, oldest first, no more attempts within a window than the provider allows. Every node runs one; a
 * mailbox's turn is taken under a cluster-wide lock, and each message goes through the outbox's own send (its lock
 * and compare-and-set), so none is sent twice. A message that fails stays `failed` in the Outbox with its reason.
 */
export class BulkSender {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private busy: Promise<void> | null = null;

  constructor(private readonly deps: BulkSenderDeps) {}

  private get windowMs() {
    return this.deps.windowMs ?? 60_000;
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.busy;
  }

  /** New messages are waiting: look now rather than at the next tick. */
  kick(): void {
    if (this.running && !this.busy) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.busy = this.round()
        .catch((err) => this.deps.log?.warn('mail sending: a bulk send round failed', { err }))
        .finally(() => {
          this.busy = null;
          this.schedule(this.deps.tickMs ?? 2_000);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async round(): Promise<void> {
    for (const accountId of await this.deps.store.accountsWithQueuedBulk()) {
      if (!this.running) return;
      let lock: Awaited<ReturnType<Locks['tryAcquire']>>;
      try {
        lock = await this.deps.locks.tryAcquire(`${this.deps.lockPrefix}:bulk:${accountId}`);
      } catch {
        continue; // Another node has this mailbox's turn.
      }
      await lock.runExclusive(() => this.sendSome(accountId), this.windowMs);
    }
  }

  private async sendSome(accountId: number): Promise<void> {
    const since = new Date(Date.now() - this.windowMs);
    const allowed = (await this.deps.perWindow(accountId)) - (await this.deps.store.attemptsSince(accountId, since));
    if (allowed <= 0) return;
    for (const id of await this.deps.store.queuedBulk(accountId, allowed)) {
      if (!this.running) return;
      await this.deps.sender.deliverIfFree(id);
    }
  }
}
