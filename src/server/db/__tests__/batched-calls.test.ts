import { BatchedCalls } from '../batched-calls';

/** A batch runner whose batches finish when the test says so, recording what each batch held. */
function heldRunner() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const calls = new BatchedCalls<number, number>(async (items) => {
    batches.push(items);
    await new Promise<void>((resolve) => finish.push(resolve));
    if (items.includes(-1)) throw new Error('refused');
    return items.map((n) => n * 10);
  });
  const tick = () => new Promise((r) => setImmediate(r));
  return { calls, batches, finish, tick };
}

describe('BatchedCalls', () => {
  it('runs a call alone at once, and the calls made meanwhile together in the next batch', async () => {
    const { calls, batches, finish, tick } = heldRunner();
    const first = calls.call(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [calls.call(2), calls.call(3), calls.call(4)];
    await tick();
    expect(batches).toEqual([[1]]);
    finish[0]();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
  });

  it('tries the calls of a failed batch again one by one: only the call that fails alone fails', async () => {
    const { calls, batches, finish, tick } = heldRunner();
    const first = calls.call(1);
    await tick();
    const outcomes = Promise.allSettled([calls.call(2), calls.call(-1), calls.call(3)]);
    await tick();
    finish[0]();
    await first;
    for (let n = 1; n <= 4; n++) {
      await tick();
      finish[n]();
    }
    const [two, bad, three] = await outcomes;
    expect(two).toEqual({ status: 'fulfilled', value: 20 });
    expect(bad.status === 'rejected' && (bad.reason as Error).message).toBe('refused');
    expect(three).toEqual({ status: 'fulfilled', value: 30 });
    expect(batches).toEqual([[1], [2, -1, 3], [2], [-1], [3]]);
  });

  it('starts anew after it went quiet', async () => {
    const { calls, batches, finish, tick } = heldRunner();
    const a = calls.call(7);
    await tick();
    finish[0]();
    await a;
    const b = calls.call(8);
    await tick();
    finish[1]();
    expect(await b).toBe(80);
    expect(batches).toEqual([[7], [8]]);
  });
});
