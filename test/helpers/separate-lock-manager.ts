/**
 * Gives each app its own in-process lock manager, as separate processes have: NocoBase's local adapter keeps its
 * mutexes in one map shared by every app of the process, which would let in-process test nodes lock each other
 * where real nodes cannot.
 */
import { LockManager } from '@nocobase/lock-manager';
import { Plugin } from '@nocobase/server';

type AdapterClass = new (...args: unknown[]) => object;

function localAdapter(): AdapterClass {
  const registry = (new LockManager() as unknown as { registry: { get(name: string): { Adapter: AdapterClass } } })
    .registry;
  return registry.get('local').Adapter;
}

/** A lock manager whose local mutexes belong to it alone. */
export function separateLockManager(): LockManager {
  const Local = localAdapter();
  // The adapter finds its mutexes through `this.constructor.locks`: a subclass with its own map has its own mutexes.
  class SeparateLocalAdapter extends Local {
    static locks = new Map();
  }
  const manager = new LockManager({ defaultAdapter: 'separate' });
  manager.registerAdapter('separate', { Adapter: SeparateLocalAdapter as never });
  return manager;
}

/** List it before the plugins under test: it swaps the app's lock manager before any of them loads. */
export class SeparateLockManagerPlugin extends Plugin {
  async beforeLoad() {
    this.app.lockManager = separateLockManager();
  }
}
