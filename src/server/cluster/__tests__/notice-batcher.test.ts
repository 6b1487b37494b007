import { NoticeBatcher } from '../notice-batcher';

describe('NoticeBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the accounts gathered within the delay as one message, each once', async () => {
    const sent: number[][] = [];
    const batcher = new NoticeBatcher(async (ids) => void sent.push(ids), 50);
    batcher.add(1);
    batcher.add(2);
    batcher.add(1);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(50);
    expect(sent).toEqual([[1, 2]]);
    batcher.add(3);
    await jest.advanceTimersByTimeAsync(50);
    expect(sent).toEqual([[1, 2], [3]]);
  });

  it('splits a large batch and sends what is left on flush', async () => {
    const sent: number[][] = [];
    const batcher = new NoticeBatcher(async (ids) => void sent.push(ids), 50, 2);
    for (const id of [1, 2, 3, 4, 5]) batcher.add(id);
    await batcher.flush();
    expect(sent).toEqual([[1, 2], [3, 4], [5]]);
    await jest.advanceTimersByTimeAsync(100);
    expect(sent).toHaveLength(3);
  });
});
