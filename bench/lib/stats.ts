/** Small statistics over measured samples. Percentiles use the nearest-rank method: p95 of 20 samples is the 19th. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (samples: number[]) => percentile(samples, 50);

/** Milliseconds `fn` took, measured with the monotonic clock. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

/** `count` timings of `fn` after `warmup` untimed calls; `before` runs ahead of each timed call, untimed. */
export async function samplesOf(
  fn: () => Promise<unknown>,
  { count, warmup, before }: { count: number; warmup: number; before?: () => Promise<unknown> },
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    await before?.();
    out.push((await timed(fn)).ms);
  }
  return out;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
