/**
 * Search in a 100,000-message folder whose messages all have body text (`indexedText`): a rare word, a common
 * word, an address and a two-word phrase, each against the plain list (a page of 50, newest first) measured the
 * same way in the same run. Every sample follows a change, so each counts its total afresh, the list included.
 */
import { SEARCH_COUNT_CAP_DEFAULT } from '../../src/shared/mail-reading';
import { benchApp } from '../lib/bench-app';
import { insertRows, row, syncedInbox } from '../lib/large-folder';
import type { BenchRow } from '../lib/result';
import { fmtMs, percentile, samplesOf, timed } from '../lib/stats';

const ROWS = Number(process.env.BENCH_LIST_ROWS || 100_000);
const SAMPLES = 30;
const WARMUP = 3;
const FILLER = ['please', 'find', 'the', 'attached', 'notes', 'from', 'our', 'call', 'and', 'tell', 'me', 'if'];

/** About 600 characters of body text; one message in 1,000 says "quixotic", one in 100 "quarterly forecast". */
function body(i: number): string {
  const words: string[] = [];
  for (let k = 0; k < 100; k++) words.push(FILLER[(i * 7 + k * 13) % FILLER.length]);
  if (i % 1000 === 500) words.splice(40, 0, 'quixotic');
  if (i % 100 === 50) words.splice(60, 0, 'quarterly', 'forecast');
  return words.join(' ');
}

export async function searchScenario(): Promise<BenchRow[]> {
  const dialect = process.env.DB_DIALECT === 'postgres' ? 'PostgreSQL' : 'SQLite (file)';
  const { app, reading } = await benchApp();
  try {
    const { user, agent, inbox } = await syncedInbox(app, reading);
    const now = Date.now();
    await insertRows(app, ROWS, (i) => ({
      ...row(i, user.accountId, inbox.id, now),
      indexedText: body(i),
      textIndexedAt: new Date(now),
    }));
    const indexing = await timed(() => reading.search.reconcile());
    if (process.env.DB_DIALECT === 'postgres') await app.db.sequelize.query('VACUUM ANALYZE');

    const page = { folderId: inbox.id, pageSize: 50 };
    const bump = () => reading.states.bumpChange(user.accountId);
    const list = async (q?: string) => {
      const res = await agent.resource('mailMessages').list(q ? { ...page, q } : page);
      if (res.status !== 200) throw new Error(`list: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      return res.body as { data: unknown[]; meta: { count: number; countCapped?: boolean } };
    };
    const samples = (q?: string) => samplesOf(() => list(q), { count: SAMPLES, warmup: WARMUP, before: bump });
    const n = ROWS.toLocaleString('en');
    const queries = [
      { label: 'a rare word (body text)', q: 'quixotic', count: Math.floor(ROWS / 1000) },
      { label: 'a common word', q: 'budget', count: ROWS / 10 },
      { label: 'an address', q: 'from:sender42@partner5.example', count: null },
      { label: 'a two-word phrase (body text)', q: '"quarterly forecast"', count: ROWS / 100 },
    ];
    // A search's total is counted up to the cap: 10,000 matches answer 1,000 and countCapped.
    for (const { q, count } of queries) {
      const found = await list(q);
      const expected = count === null ? null : Math.min(count, SEARCH_COUNT_CAP_DEFAULT);
      const capped = count !== null && count > SEARCH_COUNT_CAP_DEFAULT;
      if (expected !== null && (found.meta.count !== expected || !!found.meta.countCapped !== capped))
        throw new Error(`search ${q} counted ${JSON.stringify(found.meta)}, expected ${expected}${capped ? '+' : ''}`);
      if (!found.data.length) throw new Error(`search ${q} found nothing`);
    }
    // Alternating would mix caches; each measure runs its samples in a row, the plain list first and last.
    const plainBefore = await samples();
    const measured = [];
    for (const query of queries) measured.push({ ...query, times: await samples(query.q) });
    const plain = [...plainBefore, ...(await samples())];
    const plainP95 = percentile(plain, 95);
    const p = (s: number[]) => `p50 ${fmtMs(percentile(s, 50))}, p95 ${fmtMs(percentile(s, 95))}`;
    return [
      {
        name: `mailMessages:list, page of 50 newest first, ${n}-message folder with body text, ${dialect}, over HTTP, total counted each time`,
        value: p(plain),
        runs: `${SAMPLES * 2} requests, each after a change`,
      },
      ...measured.map(({ label, q, times }) => {
        const ratio = percentile(times, 95) / plainP95;
        return {
          name: `  search ${label}: q=${q}, ${dialect}`,
          value: p(times),
          reference: `plain list p95 ${fmtMs(plainP95)}; ratio ${ratio.toFixed(2)}×`,
          target: 'p95 ≤ 2× the list',
          met: ratio <= 2,
          runs: `${SAMPLES} requests, each after a change`,
        };
      }),
      {
        name: `  indexing the ${n} stored messages (SearchIndex reconcile, as on upgrade), ${dialect}`,
        value: `${fmtMs(indexing.ms)} (${Math.round(ROWS / (indexing.ms / 1000)).toLocaleString('en')} msg/s)`,
        runs: '1',
      },
    ];
  } finally {
    await app.destroy();
  }
}
