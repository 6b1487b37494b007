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

  it('rejects only the calls of a batch that failed, and goes on with the next', async () => {
    const { calls, batches, finish, tick } = heldRunner();
    const first = calls.call(1);
    await tick();
    const failing = [calls.call(2), calls.call(-1)];
    await tick();
    finish[0]();
    await first;
    await tick();
    const later = calls.call(5);
    finish[1]();
    await expect(failing[0]).rejects.toThrow('refused');
    await expect(failing[1]).rejects.toThrow('refused');
    await tick();
    finish[2]();
    expect(await later).toBe(50);
    expect(batches).toEqual([[1], [2, -1], [5]]);
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
