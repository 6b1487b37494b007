/**
 * The database's leases between app instances that share nothing but the database, as separate processes would:
 * each DatabaseLocks is its own holder, with its own in-process queue.
 */
import type { MockServer } from '@nocobase/test';
import { createPluginApp } from '../../../../test/helpers/plugin-app';
import { DatabaseLocks, LeaseLostError, LockHeldError } from '../database-locks';
import { LeaseTable } from '../lease-table';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DatabaseLocks', () => {
  let app: MockServer;
  let leases: LeaseTable;
  let nodes: () => DatabaseLocks;
  let n = 0;
  const key = () => `test:lock:${++n}`;

  beforeAll(async () => {
    app = await createPluginApp();
    leases = new LeaseTable(app.db);
    nodes = () => new DatabaseLocks(leases, { pollMs: { first: 10, max: 50 } });
  });

  afterAll(async () => {
    await app?.destroy();
  });

  it('a key held by one instance cannot be taken by another, nor twice by the same one, until it is released', async () => {
    const [a, b] = [nodes(), nodes()];
    const k = key();
    const lock = await a.tryAcquire(k);
    const release = await lock.acquire(60_000);
    await expect(b.tryAcquire(k)).rejects.toThrow(LockHeldError);
    await expect(a.tryAcquire(k)).rejects.toThrow(LockHeldError);
    await release();
    const taken = await b.tryAcquire(k);
    await expect(a.tryAcquire(k)).rejects.toThrow(LockHeldError);
    await taken.release();
  });

  it('a lease that ran out is taken over; the old holder can neither extend it nor release the new one', async () => {
    const [a, b, c] = [nodes(), nodes(), nodes()];
    const k = key();
    const old = await a.tryAcquire(k);
    await old.acquire(200);
    await old.extend!(200);
    await sleep(300);
    const taken = await b.tryAcquire(k);
    await taken.acquire(60_000);
    await expect(old.extend!(60_000)).rejects.toThrow(LeaseLostError);
    await old.release();
    await expect(c.tryAcquire(k)).rejects.toThrow(LockHeldError);
    // Lost, the key is free again on the old holder's side: it can compete for it later.
    await expect(a.tryAcquire(k)).rejects.toThrow(LockHeldError);
    await taken.release();
    await (await a.tryAcquire(k)).release();
  });

  it('a renewal the database failed leaves the lease with its holder, who can still release it', async () => {
    const [a, b] = [nodes(), nodes()];
    const k = key();
    const lock = await a.tryAcquire(k);
    await lock.acquire(60_000);
    const failing = jest.spyOn(leases, 'renew').mockRejectedValueOnce(new Error('connection reset'));
    try {
      await expect(lock.extend!(60_000)).rejects.toThrow('connection reset');
    } finally {
      failing.mockRestore();
    }
    await expect(b.tryAcquire(k)).rejects.toThrow(LockHeldError);
    await lock.release();
    await (await b.tryAcquire(k)).release();
  });

  it("expiry is the database's clock: a node whose clock runs an hour ahead does not see a live lease as expired", async () => {
    const [a, b] = [nodes(), nodes()];
    const k = key();
    const lock = await a.tryAcquire(k);
    await lock.acquire(60_000);
    const realNow = Date.now;
    const ahead = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_600_000);
    try {
      await expect(b.tryAcquire(k)).rejects.toThrow(LockHeldError);
    } finally {
      ahead.mockRestore();
    }
    await lock.release();
  });

  it('runExclusive runs one caller at a time across instances and within one', async () => {
    const [a, b] = [nodes(), nodes()];
    const k = key();
    let running = 0;
    let most = 0;
    const work = async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(20);
      running -= 1;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).runExclusive(k, work, 60_000)));
    expect(most).toBe(1);
  });

  it('runExclusive waits out a holder that never releases, once its TTL has passed', async () => {
    const [dead, b] = [nodes(), nodes()];
    const k = key();
    await (await dead.tryAcquire(k)).acquire(300);
    await expect(b.runExclusive(k, async () => 'ran', 60_000)).resolves.toBe('ran');
  });

  it('the value or error of runExclusive is passed on and the key is free after it', async () => {
    const [a, b] = [nodes(), nodes()];
    const k = key();
    await expect(a.runExclusive(k, async () => Promise.reject(new Error('boom')), 60_000)).rejects.toThrow('boom');
    await (await b.tryAcquire(k)).release();
  });
});
