/** Bounds the IMAP logins a node runs at once, so a start or a server restart never logs every mailbox in together. */
export interface LoginGateOptions {
  /** Logins (token, endpoint, connect, authenticate) in flight at once on this node (default 10). */
  concurrency?: number;
  /**
   * A session's first login waits a random pause of up to this long before it queues (default 1 s), so nodes
   * starting together, and the periodic syncs timed from each login, do not run in step.
   */
  jitterMs?: number;
  random?: () => number;
}

/** Frees the slot; a second call does nothing. */
export type LeaveGate = () => void;

export class LoginGate {
  private active = 0;
  private readonly waiting = new Set<() => void>();
  private readonly concurrency: number;
  private readonly jitterMs: number;
  private readonly random: () => number;

  constructor(options: LoginGateOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 10);
    this.jitterMs = Math.max(0, options.jitterMs ?? 1000);
    this.random = options.random ?? Math.random;
  }

  /**
   * Waits for a free slot (after the jitter pause when `first`) and answers the function that frees it, or null when
   * `signal` aborted meanwhile (the session is stopping: it must not wait its turn to give up).
   */
  async enter(opts: { first?: boolean; signal?: AbortSignal } = {}): Promise<LeaveGate | null> {
    const { signal } = opts;
    if (opts.first && this.jitterMs > 0) await this.pause(Math.round(this.random() * this.jitterMs), signal);
    if (signal?.aborted) return null;
    if (this.active >= this.concurrency) {
      const handed = await new Promise<boolean>((resolve) => {
        const take = () => {
          signal?.removeEventListener('abort', quit);
          resolve(true);
        };
        const quit = () => {
          this.waiting.delete(take);
          resolve(false);
        };
        this.waiting.add(take);
        signal?.addEventListener('abort', quit, { once: true });
      });
      // A slot handed over stays counted in `active`: it passes from the one who left to this login.
      if (!handed) return null;
    } else {
      this.active += 1;
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.values().next();
      if (next.done) {
        this.active -= 1;
      } else {
        this.waiting.delete(next.value);
        next.value();
      }
    };
  }

  /** Logins in flight now. */
  get inFlight(): number {
    return this.active;
  }

  private pause(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref?.();
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
