/**
 * A search's total is counted up to a cap (here 3, through `reading.searchCountCap`), against a real app and mail
 * stack, on SQLite or PostgreSQL: more matches than the cap answer the cap with `countCapped` and still page to
 * the last match; exactly the cap or fewer answer the exact count; a plain list keeps its exact total.
 */
import type { MockServer } from '@nocobase/test';
import type { Agent } from '../../../../test/helpers/mail-app';
import type { MailMessageListItem, MailMessageListMeta } from '../../../shared/mail-reading-types';
import { connectedUser, readingApp, seed, waitFor } from '../../sync/__tests__/helpers/reading-app';

const CAP = 3;
const MINUTE = 60_000;

describe('a search counted up to a cap', () => {
  let app: MockServer;
  let agent: Agent;

  const list = async (params: Record<string, unknown>) => {
    const res = await agent.resource('mailMessages').list(params);
    expect(res.status).toBe(200);
    return { rows: res.body.data as MailMessageListItem[], meta: res.body.meta as MailMessageListMeta };
  };
  /** Every page in turn while the server says another follows; each page's meta alongside. */
  const allPages = async (params: Record<string, unknown>) => {
    const pages: { subjects: string[]; meta: MailMessageListMeta }[] = [];
    for (let page = 1; page <= 10; page++) {
      const { rows, meta } = await list({ ...params, page });
      pages.push({ subjects: rows.map((r) => r.subject), meta });
      if (!meta.hasMore) break;
    }
    return pages;
  };

  beforeAll(async () => {
    ({ app } = await readingApp('full', { searchCountCap: CAP }));
    const email = `count-cap-${Date.now()}@example.test`;
    const now = Date.now();
    await seed(email, 'INBOX', [
      ...[1, 2, 3, 4, 5].map((i) => ({ subject: `Budget ${i}`, date: new Date(now - (10 - i) * MINUTE) })),
      ...[1, 2, 3].map((i) => ({ subject: `Quarterly ${i}`, date: new Date(now - (20 - i) * MINUTE) })),
      { subject: 'Zeppelin ride', date: new Date(now - 30 * MINUTE) },
    ]);
    ({ agent } = await connectedUser(app, email));
    await waitFor(async () => (await agent.resource('mailAccounts').syncStatus()).body.data[0].lastSyncAt, {
      what: 'first sync',
    });
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
  });

  it('answers the cap and countCapped for more matches, and pages on to the last match', async () => {
    const pages = await allPages({ q: 'budget', pageSize: 2 });
    expect(pages.map((p) => p.subjects)).toEqual([['Budget 5', 'Budget 4'], ['Budget 3', 'Budget 2'], ['Budget 1']]);
    for (const { meta } of pages) expect(meta).toMatchObject({ count: CAP, countCapped: true, pageSize: 2 });
    expect(pages.map((p) => p.meta.hasMore)).toEqual([true, true, false]);

    // One page larger than the cap lists every match; nothing follows it.
    const whole = await list({ q: 'budget', pageSize: 50 });
    expect(whole.rows).toHaveLength(5);
    expect(whole.meta).toMatchObject({ count: CAP, countCapped: true, hasMore: false });
  });

  it('answers the exact count without the flag at the cap and under it', async () => {
    const atCap = await list({ q: 'quarterly', pageSize: 2 });
    expect(atCap.meta).toMatchObject({ count: 3, totalPage: 2, hasMore: true });
    expect(atCap.meta.countCapped).toBeUndefined();
    const under = await list({ q: 'zeppelin' });
    expect(under.rows.map((r) => r.subject)).toEqual(['Zeppelin ride']);
    expect(under.meta).toMatchObject({ count: 1, hasMore: false });
    expect(under.meta.countCapped).toBeUndefined();
  });

  it('caps a search by conversation the same way', async () => {
    const pages = await allPages({ q: 'budget', threads: true, pageSize: 2 });
    expect(pages.flatMap((p) => p.subjects)).toEqual(['Budget 5', 'Budget 4', 'Budget 3', 'Budget 2', 'Budget 1']);
    for (const { meta } of pages) expect(meta).toMatchObject({ count: CAP, countCapped: true });
  });

  it('keeps the exact total of a plain list beyond the cap', async () => {
    const plain = await list({ pageSize: 2 });
    expect(plain.meta).toMatchObject({ count: 9, totalPage: 5, hasMore: true });
    expect(plain.meta.countCapped).toBeUndefined();
  });
});
