/** Frees a key; calling it again does nothing. */
export type Unlock = () => void;

/** One holder per key inside this app instance, the others queued in order of arrival. */
export class KeyedMutex {
  /** Held keys, each with the callers waiting for it. */
  private readonly held = new Map<string, Array<(unlock: Unlock) => void>>();

  /** The key's unlock when it was free, or null when it is held. */
  tryLock(key: string): Unlock | null {
    if (this.held.has(key)) return null;
    this.held.set(key, []);
    return this.unlocker(key);
  }

  lock(key: string): Promise<Unlock> {
    const unlock = this.tryLock(key);
    if (unlock) return Promise.resolve(unlock);
    return new Promise((resolve) => this.held.get(key)!.push(resolve));
  }

  private unlocker(key: string): Unlock {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.held.get(key)!.shift();
      if (next) next(this.unlocker(key));
      else this.held.delete(key);
    };
  }
}
