/**
 * Gives each app its own in-process lock manager, as separate processes have: NocoBase's local adapter keeps its
 * mutexes in one map shared by every app of the process, which would let in-process test nodes lock each other
 * where real nodes cannot.
 */
import type { LockManager } from '@nocobase/lock-manager';
import { Plugin } from '@nocobase/server';

type AdapterClass = new (...args: unknown[]) => object;
type LockManagerClass = new (options?: { defaultAdapter?: string }) => LockManager;

/** A lock manager like `like` (the same class, from the app's own @nocobase/lock-manager) whose mutexes are its own. */
export function separateLockManager(like: LockManager): LockManager {
  const Manager = like.constructor as LockManagerClass;
  const registry = (new Manager() as unknown as { registry: { get(name: string): { Adapter: AdapterClass } } })
    .registry;
  const Local = registry.get('local').Adapter;
  // The adapter finds its mutexes through `this.constructor.locks`: a subclass with its own map has its own mutexes.
  class SeparateLocalAdapter extends Local {
    static locks = new Map();
  }
  const manager = new Manager({ defaultAdapter: 'separate' });
  manager.registerAdapter('separate', { Adapter: SeparateLocalAdapter as never });
  return manager;
}

/** List it before the plugins under test: it swaps the app's lock manager before any of them loads. */
export class SeparateLockManagerPlugin extends Plugin {
  async beforeLoad() {
    this.app.lockManager = separateLockManager(this.app.lockManager);
  }
}
