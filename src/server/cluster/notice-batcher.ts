/**
 * Account ids gathered for a moment and sent to the other nodes as one message. Under a stream of new mail every
 * stored batch would otherwise be a bus message (on PostgreSQL, a NOTIFY statement) of its own, for a notice that a
 * client reading it 50 ms later loses nothing by.
 */
export class NoticeBatcher {
  private pending = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (accountIds: number[]) => Promise<void>,
    private readonly delayMs = 50,
    /** Ids per message: a NOTIFY payload holds at most 8,000 bytes. */
    private readonly maxIds = 500,
  ) {}

  add(accountId: number): void {
    this.pending.add(accountId);
    if (this.timer) return;
    // The sender reports its own failures (the bus logs them): nothing is left to catch here.
    this.timer = setTimeout(() => this.flush().catch(() => undefined), this.delayMs);
    this.timer.unref?.();
  }

  /** Sends what is gathered now (also on stop, so no notice is left behind). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const ids = [...this.pending];
    this.pending.clear();
    for (let i = 0; i < ids.length; i += this.maxIds) await this.send(ids.slice(i, i + this.maxIds));
  }
}
