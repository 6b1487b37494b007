/**
 * Group commit for one kind of small statement that many mailboxes make at once (new mail on 1,000 mailboxes):
 * calls made while no batch runs start one at once; calls made while one runs wait for it and then share the next.
 * Alone, a call costs what it did before; under load, many calls share one statement, so the database pool's queue
 * does not grow with the number of mailboxes. A batch begins after every call it serves was made, so a call never
 * gets an answer read before it asked.
 */
export class BatchedCalls<T, R> {
  private waiting: Array<{ item: T; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  private running = false;

  /** `run` answers every item of a batch, in order. Items must be safe to run again: see drain(). */
  constructor(private readonly run: (items: T[]) => Promise<R[]>) {}

  call(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) this.drain().catch(() => undefined);
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        const results = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]));
      } catch (err) {
        if (batch.length === 1) batch[0].reject(err);
        // One mailbox's bad data must not fail the others' calls: each is tried again on its own (the callers' writes
        // are safe to repeat), and only the calls that fail alone fail.
        else for (const b of batch) await this.run([b.item]).then(([r]) => b.resolve(r), b.reject);
      }
    }
    this.running = false;
  }
}
