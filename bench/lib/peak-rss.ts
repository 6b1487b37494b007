/**
 * The highest resident set size above the level at the start while `fn` runs, sampled every `everyMs` and once more
 * at the end (a short peak between samples is missed; the interval is the scenario's trade-off). Bytes.
 */
export async function peakRssGrowth<T>(fn: () => Promise<T>, everyMs: number): Promise<{ value: T; growth: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}
