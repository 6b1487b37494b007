/**
 * Exact totals of message lists, remembered until the mail they count changes. Counting a 100,000-message folder
 * is a scan of that many index entries (about 4 ms on SQLite, four times the page query itself), and the same
 * list is asked for again and again while nothing changed: every poll, every return to a folder, every page.
 *
 * A total is stored with the change sequence numbers (`mailSyncStates.changeSeq`) of the accounts it covers, read
 * before counting. Every write to stored mail bumps its account's number after writing, on whichever node, so a
 * total is only reused while the numbers it was counted under are still current.
 */
export class CountCache {
  private readonly totals = new Map<string, { seq: string; count: number }>();

  constructor(private readonly capacity = 1000) {}

  async get(key: string, seq: string, count: () => Promise<number>): Promise<number> {
    const known = this.totals.get(key);
    this.totals.delete(key);
    const total = known && known.seq === seq ? known.count : await count();
    // Map order is insertion order: re-inserting keeps the most recently used last, the oldest goes first.
    this.totals.set(key, { seq, count: total });
    if (this.totals.size > this.capacity) this.totals.delete(this.totals.keys().next().value as string);
    return total;
  }
}
