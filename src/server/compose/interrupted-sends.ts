import { OutboxState } from '../../shared/mail-sending';
import type { OutboxSender } from './outbox-sender';
import type { OutboxStore } from '../store/outbox-store';

export interface InterruptedSendsDeps {
  store: OutboxStore;
  sender: OutboxSender;
  log?: { warn(message: string, meta?: object): void };
}

/**
 * Settles the rows a stopped process left `sending`. Runs when the app starts, again every little while as long as
 * such a row is within its send window (its message may yet show up in Sent, or another node's live attempt may
 * finish), and once a send window otherwise.
 */
export class InterruptedSends {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(private readonly deps: InterruptedSendsDeps) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.settleAll().catch((err) => this.deps.log?.warn('mail sending: settling interrupted sends failed', { err }));
    }, delayMs);
    this.timer.unref();
  }

  private async settleAll(): Promise<void> {
    let unsettled = 0;
    try {
      for (const id of await this.deps.store.idsIn(OutboxState.sending)) {
        if (!this.running) return;
        // A row whose lease a dead node still holds is looked at again on the next round.
        const row = await this.deps.sender.deliverIfFree(id);
        if (row.get('state') === OutboxState.sending) unsettled++;
      }
    } catch (err) {
      unsettled++;
      if (this.running) this.deps.log?.warn('mail sending: settling interrupted sends failed', { err });
    }
    // Look again a few times within the window, so a Sent copy filed late still counts as sent; otherwise once a
    // window, for rows a node that crashed and never came back left behind.
    const window = this.deps.sender.sendWindowMs;
    this.schedule(unsettled ? Math.min(30_000, window / 4) : window);
  }
}
